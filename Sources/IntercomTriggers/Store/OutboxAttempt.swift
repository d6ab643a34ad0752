/// One delivery attempt of a pending outbox row, as a lane records it.
public struct OutboxAttempt: Sendable, Hashable {
    /// How the attempt ended.
    public enum Result: Sendable, Hashable {
        /// Accepted at `at` (Unix seconds): the row becomes delivered.
        case delivered(at: Int)
        /// Failed attempt number `attempt` (1 = the first), made at `at` (recorded as `last_attempt_at`;
        /// `nil` leaves the attempt times as they were): due again at `nextAttemptAt`, or a dead letter when
        /// that is `nil`.
        case failed(attempt: Int, status: Int?, error: String, nextAttemptAt: Int?, at: Int?)
    }

    /// The row's event.
    public var seq: Int64
    public var result: Result

    public init(seq: Int64, result: Result) {
        self.seq = seq
        self.result = result
    }
}
