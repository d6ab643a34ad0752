/// What one pass over a resource did.
public struct PassReport: Sendable, Equatable {
    public var resource: Resource
    /// Search requests made (pages read).
    public var pages = 0
    /// Pages read that changed nothing a later pass needs, and so were not committed (``ResourcePass/isQuiet``).
    public var uncommittedPages = 0
    /// Items read inside the window.
    public var items = 0
    /// Events queued (new, or again after a reset).
    public var events = 0
    /// Events queued per topic.
    public var eventsByTopic: [String: Int] = [:]
    /// Updates suppressed per topic: only ignored fields had changed.
    public var suppressedByTopic: [String: Int] = [:]
    /// Events a destination's filter skipped, per destination.
    public var filteredByDestination: [String: Int] = [:]
    /// The newest timestamp seen in the pass, which became the topics' watermark.
    public var watermark: Int?
    /// Items that could not be read, in the order met (each also logged and counted by the poller).
    public var skipped: [SkippedItem] = []
    /// Ids of items whose timestamp was more than ``ResourcePass/futureMargin`` ahead of the pass's clock
    /// and that fired in this pass (a re-read of the same version is not listed again): they fired as usual,
    /// but did not move the watermark past the margin.
    public var futureDated: [String] = []
    /// Ids of items that fired in this pass with bytes that are not UTF-8 (``Observation/replacedInvalidUTF8``),
    /// listed like ``futureDated``: once, when their version fires.
    public var replacedInvalidUTF8: [String] = []

    /// The pass's topics as stored when it began, by name (their horizons may since have moved forward only).
    public var states: [String: TopicState] = [:]

    /// What the pass read from the store (or was given) before its first request.
    public var passState: PassState?

    /// The store's ``PassState`` as the pass's last page left it, when that page was committed (nil otherwise).
    public var passStateAfter: PassState?

    /// What the next pass over the resource can start from without reading the store: ``passState`` when the pass
    /// changed nothing, else what its committed last page left (nil when neither is known).
    public var stateForNextPass: PassState? { leftStoreAsItWas ? passState : passStateAfter }

    /// Whether the pass changed nothing in the store: every page it read was quiet, and it resumed no earlier pass.
    /// Its ``passState`` is then still what the store holds (but for `status`' fields and resets asked since).
    public var leftStoreAsItWas: Bool { uncommittedPages == pages && !resumed }

    /// Whether the pass first finished an earlier pass that had stopped part way (its ``ResumePoint``).
    public var resumed = false

    public init(resource: Resource) {
        self.resource = resource
    }
}
