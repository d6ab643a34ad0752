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

    public init(resource: Resource, field: VersionField, bound: Int, upper: Int? = nil) {
        self.resource = resource
        self.field = field
        self.bound = bound
        self.upper = upper
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
