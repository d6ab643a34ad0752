import GRDB

/// One destination's outbox at a glance, for `status` and the systemd `STATUS=` line.
public struct DestinationSummary: Sendable, Hashable {
    /// The destination's name.
    public var name: String
    /// Rows waiting for their first or next attempt.
    public var pending: Int
    /// Dead letters.
    public var dead: Int
    /// When the oldest pending event was detected: the lane's lag is `now` minus this.
    public var oldestPendingDetectedAt: Int?
    /// The most recent delivery still in the outbox (delivered rows are pruned after retention).
    public var lastDeliveredAt: Int?
    /// The latest next attempt of a pending row that has failed (a retry step, or a receiver's `Retry-After`
    /// of up to an hour): how long the destination may stay waiting.
    public var retryingUntil: Int?

    /// Creates a summary.
    public init(
        name: String, pending: Int, dead: Int, oldestPendingDetectedAt: Int?, lastDeliveredAt: Int?,
        retryingUntil: Int? = nil
    ) {
        self.retryingUntil = retryingUntil
        self.name = name
        self.pending = pending
        self.dead = dead
        self.oldestPendingDetectedAt = oldestPendingDetectedAt
        self.lastDeliveredAt = lastDeliveredAt
    }
}

extension DestinationSummary {
    /// Decodes a row of ``StateStore/destinationSummaries()``.
    init(row: Row) {
        self.init(
            name: row["destination"], pending: row["pending"], dead: row["dead"],
            oldestPendingDetectedAt: row["oldest_pending"], lastDeliveredAt: row["last_delivered"],
            retryingUntil: row["retrying_until"])
    }
}
