/// The same delay after every failure, for ever or up to a number of attempts: what stdout needs.
public struct FixedRetrySchedule: RetrySchedule, Hashable {
    /// The delay after each failed attempt.
    public var delay: Duration
    /// How many attempts are made in all before a dead letter; `nil` retries for ever.
    public var maxAttempts: Int?

    /// Creates a fixed schedule.
    public init(delay: Duration, maxAttempts: Int? = nil) {
        self.delay = delay
        self.maxAttempts = maxAttempts
    }

    public func delay(afterFailedAttempt attempt: Int) -> Duration? {
        if let maxAttempts, attempt >= maxAttempts { return nil }
        return delay
    }
}
