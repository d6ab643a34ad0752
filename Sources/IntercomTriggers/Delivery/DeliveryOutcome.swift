/// What happened to one outbox entry handed to an ``EventSink``; the lane records it in the store.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Accepted (2xx; for stdout: written, which is flushed). Marked delivered.
    case delivered
    /// A failed attempt: counted, and due again after `retryAfter` when given, else after the lane's
    /// ``RetrySchedule`` delay (or a dead letter once the schedule is exhausted).
    case failed(status: Int?, error: String, retryAfter: Duration?)
    /// A failed attempt that also pauses the whole lane (429, 502, 503, 504): counted like ``failed``, and
    /// the lane sends nothing until the entry's next attempt time.
    case throttled(status: Int?, error: String, retryAfter: Duration?)
    /// The destination is gone (410): the entry stays pending with no attempt counted, the destination is
    /// disabled in the store, and the lane waits until an admin re-enables it.
    case disable(reason: String)
    /// The sink cannot go on (stdout's reader has gone): nothing of the batch is recorded, the lane stops
    /// for good (other lanes go on) and reports why in its status.
    case stopLane(reason: String)
}
