/// When a failed delivery is tried again: one per destination (webhooks: DESIGN §7's schedule with jitter).
public protocol RetrySchedule: Sendable {
    /// The delay before the next attempt after failed attempt `attempt` (1 = the first attempt), or `nil`
    /// when the schedule is exhausted and the delivery becomes a dead letter.
    func delay(afterFailedAttempt attempt: Int) -> Duration?
}
