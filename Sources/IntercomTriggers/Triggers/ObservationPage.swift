/// One page of a search stream, reduced to observations.
public struct ObservationPage: Sendable {
    public var items: [Observation]
    /// The cursor of the next page; nil on the last page.
    public var nextCursor: String?

    public init(items: [Observation], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
