/// One read of a resource's search stream: newest first by `field`, everything at or after `bound`.
public struct StreamRequest: Sendable, Equatable {
    public var resource: Resource
    /// The timestamp the stream is sorted and bounded by.
    public var field: VersionField
    /// The oldest timestamp the pass needs (Unix seconds).
    public var bound: Int

    public init(resource: Resource, field: VersionField, bound: Int) {
        self.resource = resource
        self.field = field
        self.bound = bound
    }

    /// `OR(field = bound, field > bound)`: under day matching everything from the start of `bound`'s
    /// local day, under second matching `field >= bound` — a superset of what the pass needs either way
    /// (`>` alone would skip the rest of the day; `>=` is refused on contact dates).
    public var query: SearchQuery {
        .or([
            .filter(field.rawValue, .equals, .integer(bound)),
            .filter(field.rawValue, .greaterThan, .integer(bound)),
        ])
    }

    /// Newest first, so a pass can stop at the first item older than `bound`.
    public var sort: SearchSort { .descending(field.rawValue) }
}
