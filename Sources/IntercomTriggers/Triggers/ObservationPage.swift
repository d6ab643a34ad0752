/// One page of a search stream, reduced to observations.
public struct ObservationPage: Sendable {
    public var items: [Observation]
    /// The cursor of the next page; nil on the last page.
    public var nextCursor: String?
    /// Items of the page that cannot be read: left out of `items`, reported by the pass.
    public var skipped: [SkippedItem]

    public init(items: [Observation], nextCursor: String?, skipped: [SkippedItem] = []) {
        self.items = items
        self.nextCursor = nextCursor
        self.skipped = skipped
    }
}
