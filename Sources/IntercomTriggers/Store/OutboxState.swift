/// Where one (destination, event) delivery stands.
enum OutboxState: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its first or next attempt.
    case pending
    /// Accepted by the destination (2xx, or written and flushed for stdout).
    case delivered
    /// Its retry schedule is exhausted: kept as a dead letter until replayed or purged.
    case dead
}
