import Foundation

/// Paces requests to one Intercom workspace; share one instance among everything that calls it.
///
/// Three rules, all waited out on the injected `WallClock`:
/// - our own ceiling: at most ⌈maxRequestsPerMinute / 6⌉ requests per 10-second window (Intercom
///   spreads its per-minute limits over 10-second windows the same way);
/// - Intercom's headers: once `X-RateLimit-Remaining` reaches 0, nothing is sent before
///   `X-RateLimit-Reset`;
/// - after a 429 (which has no `Retry-After`), nothing is sent before the reset plus a jitter.
public actor RateLimiter {
    /// Intercom's window length.
    public static let window: Duration = .seconds(10)

    private let clock: any WallClock
    /// Our ceiling per window.
    public nonisolated let requestsPerWindow: Int

    private var windowIndex: Int64 = .min
    private var usedInWindow = 0
    private var serverRemaining: Int?
    private var serverReset: Date?
    private var blockedUntil: Date?

    public init(requestsPerWindow: Int, clock: any WallClock) {
        self.requestsPerWindow = max(1, requestsPerWindow)
        self.clock = clock
    }

    /// A limiter for `maxRequestsPerMinute`, spread over 10-second windows.
    public init(maxRequestsPerMinute: Int, clock: any WallClock) {
        self.init(requestsPerWindow: (max(1, maxRequestsPerMinute) + 5) / 6, clock: clock)
    }

    /// Waits until one more request may be sent, then counts it. `sleep` does the waiting, so a
    /// caller can make its waits end on shutdown; cancellation ends the wait with `CancellationError`.
    public func acquire(sleep: @Sendable (Duration) async throws -> Void) async throws {
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            if let wakeAt = admissionTime(now: now), wakeAt > now {
                try await sleep(Self.duration(from: now, to: wakeAt))
                continue
            }
            usedInWindow += 1
            if let remaining = serverRemaining { serverRemaining = remaining - 1 }
            return
        }
    }

    /// Waits on the limiter's own clock until a request may be sent.
    public func acquire() async throws {
        let clock = self.clock
        try await acquire(sleep: { try await clock.sleep(for: $0) })
    }

    /// The longest wait a rate-limit reset can impose: two windows. A reset further ahead (a broken header,
    /// a skewed clock) is held there, so one bad answer cannot freeze polling.
    public static let maximumResetWait: Duration = .seconds(20)

    /// `X-RateLimit-Reset` (Unix seconds, an integer); nil when absent or not an integer (`inf`, `1e99`,
    /// `NaN`, a date…).
    public static func resetTime(_ header: String?) -> Date? {
        guard let header, let seconds = Int(HTTPFieldValue.trimmed(header)) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// `resetAt`, at most ``maximumResetWait`` from now.
    private func bounded(_ resetAt: Date?) -> Date? {
        resetAt.map { min($0, clock.now().addingTimeInterval(RetryPolicy.seconds(Self.maximumResetWait))) }
    }

    /// Learns Intercom's budget from a response's `X-RateLimit-Remaining` / `X-RateLimit-Reset`.
    public func record(remaining: Int?, resetAt: Date?) {
        guard let remaining, let resetAt = bounded(resetAt) else { return }
        if let known = serverReset, resetAt < known { return }  // a late answer from an older window
        if let known = serverReset, resetAt == known, let current = serverRemaining {
            serverRemaining = min(current, remaining)
        } else {
            serverReset = resetAt
            serverRemaining = remaining
        }
    }

    /// After a 429: nothing goes out before `resetAt` (one window from now when unknown) plus `jitter`.
    public func recordRateLimited(resetAt: Date?, jitter: Duration) {
        let resetAt = bounded(resetAt)
        let now = clock.now()
        var until = resetAt ?? now.addingTimeInterval(RetryPolicy.seconds(Self.window))
        // A reset already past (clock skew) would otherwise retry at once, again and again.
        if until <= now { until = now.addingTimeInterval(1) }
        until = until.addingTimeInterval(RetryPolicy.seconds(jitter))
        blockedUntil = max(blockedUntil ?? until, until)
        if let resetAt, resetAt > now {
            serverReset = resetAt
            serverRemaining = 0
        }
    }

    /// When the next request may go out, or nil if it may go now. Rolls windows forward as a side effect.
    private func admissionTime(now: Date) -> Date? {
        if let blocked = blockedUntil {
            if now < blocked { return blocked }
            blockedUntil = nil
        }
        if let reset = serverReset {
            if now >= reset {
                serverReset = nil
                serverRemaining = nil
            } else if let remaining = serverRemaining, remaining <= 0 {
                return reset
            }
        }
        let windowSeconds = RetryPolicy.seconds(Self.window)
        let index = Int64((now.timeIntervalSince1970 / windowSeconds).rounded(.down))
        if index != windowIndex {
            windowIndex = index
            usedInWindow = 0
        }
        if usedInWindow >= requestsPerWindow {
            return Date(timeIntervalSince1970: Double(index + 1) * windowSeconds)
        }
        return nil
    }

    private static func duration(from start: Date, to end: Date) -> Duration {
        .milliseconds(Int64((end.timeIntervalSince(start) * 1000).rounded(.up)))
    }
}
