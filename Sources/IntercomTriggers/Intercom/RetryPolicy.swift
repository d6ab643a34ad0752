/// How transient failures (5xx, timeouts, connection errors, invalid JSON) are retried: bounded
/// exponential backoff with jitter. Every attempt also passes through the rate limiter.
public struct RetryPolicy: Sendable, Equatable {
    /// How the exponential delay is randomised.
    public enum Jitter: Sendable, Equatable {
        /// Exactly the exponential delay.
        case none
        /// Uniform in `0…delay` ("full jitter").
        case full
        /// Uniform in `delay × (1 ± fraction)`, e.g. `0.2` for ±20 %.
        case proportional(Double)
    }

    /// Attempts in total, the first included (1 = never retry).
    public var maxAttempts: Int
    /// The delay before the first retry, before jitter.
    public var baseDelay: Duration
    /// No delay exceeds this, jitter included.
    public var maxDelay: Duration
    public var jitter: Jitter

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        jitter: Jitter = .full
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The wait before retry number `retry` (1 = the wait after the first failed attempt), given
    /// `unit`, a random number in `0..<1`.
    public func delay(beforeRetry retry: Int, unit: Double) -> Duration {
        let base = Self.seconds(baseDelay)
        let cap = Self.seconds(maxDelay)
        let exponential = min(cap, base * Self.power(of: 2, max(0, retry - 1)))
        let unit = min(max(unit, 0), 1)
        let jittered =
            switch jitter {
            case .none: exponential
            case .full: exponential * unit
            case .proportional(let fraction): exponential * (1 + fraction * (2 * unit - 1))
            }
        return .milliseconds(Int64((min(cap, max(0, jittered)) * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func power(of base: Double, _ exponent: Int) -> Double {
        // Capped so a large attempt count cannot overflow to infinity.
        var result = 1.0
        for _ in 0..<min(exponent, 60) { result *= base }
        return result
    }
}
