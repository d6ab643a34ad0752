/// Where one destination's events go: stdout, a webhook, or a fake in tests.
///
/// A sink only sends; the ``DeliveryLane`` reads due entries from the store, hands them over a batch at a
/// time, and records the outcomes. With batches (stdout) a sink is called again only after its previous
/// call returned; a concurrent lane (webhooks) calls it several times at once, one row each.
public protocol EventSink: Sendable {
    /// Attempts `entries` (due, in event order) at `attemptAt` (Unix seconds: the attempt time on the wire
    /// and `first_sent_at` of a first attempt).
    ///
    /// - Returns: one outcome per entry, in the same order. A missing outcome leaves its entry pending, untouched.
    func deliver(_ entries: [OutboxEntry], attemptAt: Int) async -> [DeliveryOutcome]
}
