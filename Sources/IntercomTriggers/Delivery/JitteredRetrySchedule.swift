/// The webhook retry schedule (DESIGN §7): the configured delays, each with ±`jitter` (20 %) drawn at
/// random, then `nil` — a dead letter.
public struct JitteredRetrySchedule: RetrySchedule {
    /// The nominal delay after failed attempt 1, 2, … .
    public let delays: [Duration]
    /// The relative spread, 0.2 for ±20 %.
    public let jitter: Double

    private let random: @Sendable () -> Double

    /// Creates a schedule.
    ///
    /// - Parameter random: a value in `0..<1` per call (uniform); injected by tests.
    public init(
        delays: [Duration] = DaemonConfiguration.Destination.defaultRetrySchedule, jitter: Double = 0.2,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.delays = delays
        self.jitter = jitter
        self.random = random
    }

    public func delay(afterFailedAttempt attempt: Int) -> Duration? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        let factor = 1 + jitter * (2 * random() - 1)
        return delays[attempt - 1] * factor
    }
}
