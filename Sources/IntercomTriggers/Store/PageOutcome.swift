/// What committing one page did (``StateStore/commit(_:routes:)``).
public struct PageOutcome: Sendable, Hashable {
    /// The events the commit queued, new or re-queued, in page order.
    public var queued: [StoredEvent] = []
    /// Topic → updates left without an event because only ignored fields changed (`ignore_fields`).
    public var suppressed: [String: Int] = [:]
    /// Destination → events its filter (`[[destination.when]]`) did not match, so it got no outbox row.
    public var filtered: [String: Int] = [:]
    /// After a pass's last page (its resume point cleared): the resource's ``PassState`` as the commit left it.
    public var passState: PassState?

    /// Creates an outcome.
    public init(queued: [StoredEvent] = [], suppressed: [String: Int] = [:], filtered: [String: Int] = [:]) {
        self.queued = queued
        self.suppressed = suppressed
        self.filtered = filtered
    }
}
