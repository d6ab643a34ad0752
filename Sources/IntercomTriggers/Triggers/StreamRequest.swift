/// One read of a resource's search stream: newest first by `field`, everything at or after `bound` (and, when
/// a pass resumes, at or before `upper`).
public struct StreamRequest: Sendable, Equatable {
    public var resource: Resource
    /// The timestamp the stream is sorted and bounded by.
    public var field: VersionField
    /// The oldest timestamp the pass needs (Unix seconds).
    public var bound: Int
    /// The newest timestamp the pass needs (Unix seconds): where a resumed pass continues; `nil` for
    /// everything.
    public var upper: Int?
    /// Items asked for on the read's first page (later pages ask for Intercom's most, 150).
    public var firstPageSize: Int

    public init(
        resource: Resource, field: VersionField, bound: Int, upper: Int? = nil,
        firstPageSize: Int = StreamRequest.firstPageSize(expecting: nil)
    ) {
        self.resource = resource
        self.field = field
        self.bound = bound
        self.upper = upper
        self.firstPageSize = firstPageSize
    }

    /// A first page for a read expected to find `recent` items within its range (what the last pass over the
    /// resource found; nil when unknown): those and three more, so that the page usually also holds an item
    /// older than the bound and the read ends there. An idle poll only looks at its page's items to see that
    /// they are older (under day matching, the day's records before the bound): a page sized to the expected
    /// items keeps that cheap (a 150-item page of contacts is ~300 KB to scan), and a read that finds more pays
    /// one request more, after which the next pass expects as many. Unknown: 20.
    public static func firstPageSize(expecting recent: Int?) -> Int {
        guard let recent else { return 20 }
        return min(SearchRequest.maximumPerPage, max(0, recent).addingSaturated(3))
    }

    /// `OR(field = bound, field > bound)`: under day matching everything from the start of `bound`'s
    /// local day, under second matching `field >= bound` — a superset of what the pass needs either way
    /// (`>` alone would skip the rest of the day; `>=` is refused on contact dates). With `upper`, also
    /// `OR(field = upper, field < upper)`, a superset of `field <= upper` likewise.
    public var query: SearchQuery {
        let lower = SearchQuery.or([
            .filter(field.rawValue, .equals, .integer(bound)),
            .filter(field.rawValue, .greaterThan, .integer(bound)),
        ])
        guard let upper else { return lower }
        return .and([
            lower,
            .or([
                .filter(field.rawValue, .equals, .integer(upper)),
                .filter(field.rawValue, .lessThan, .integer(upper)),
            ]),
        ])
    }

    /// Whether `value` is inside the stream's range (the query's superset narrowed to what the pass needs).
    public func contains(_ value: Int) -> Bool {
        value >= bound && value <= (upper ?? .max)
    }

    /// Newest first, so a pass can stop at the first item older than `bound`.
    public var sort: SearchSort { .descending(field.rawValue) }
}
