import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct RateLimiterTests {
    @Test(arguments: [(1000, 167), (6, 1), (7, 2), (60, 10), (10_000, 1667), (0, 1)])
    func ceilingIsSpreadOverTenSecondWindows(_ perMinute: Int, _ perWindow: Int) {
        let limiter = RateLimiter(maxRequestsPerMinute: perMinute, clock: InstantWallClock())
        #expect(limiter.requestsPerWindow == perWindow)
        #expect(IntercomConfiguration(accessToken: "t", maxRequestsPerMinute: perMinute).requestsPerWindow == perWindow)
    }

    @Test func ownCeilingHoldsPerWindow() async throws {
        let clock = InstantWallClock()  // starts on a window boundary
        let limiter = RateLimiter(maxRequestsPerMinute: 60, clock: clock)
        var windows: [Int: Int] = [:]
        let start = clock.now().timeIntervalSince1970
        for _ in 0..<25 {
            try await limiter.acquire()
            windows[Int((clock.now().timeIntervalSince1970 - start) / 10), default: 0] += 1
        }
        #expect(windows == [0: 10, 1: 10, 2: 5])
        #expect(clock.totalSlept == 20)
    }

    @Test func intercomRemainingBudgetIsSpentThenWaitedOut() async throws {
        let clock = InstantWallClock()
        let limiter = RateLimiter(maxRequestsPerMinute: 10_000, clock: clock)
        await limiter.record(remaining: 2, resetAt: clock.now().addingTimeInterval(5))
        try await limiter.acquire()
        try await limiter.acquire()
        #expect(clock.sleeps.isEmpty)
        try await limiter.acquire()
        #expect(clock.totalSlept == 5)
    }

    @Test func anAnswerFromAnOlderWindowIsIgnored() async throws {
        let clock = InstantWallClock()
        let limiter = RateLimiter(maxRequestsPerMinute: 10_000, clock: clock)
        await limiter.record(remaining: 50, resetAt: clock.now().addingTimeInterval(8))
        await limiter.record(remaining: 0, resetAt: clock.now().addingTimeInterval(-2))
        try await limiter.acquire()
        #expect(clock.sleeps.isEmpty)
    }

    @Test func sameWindowKeepsTheLowestRemaining() async throws {
        let clock = InstantWallClock()
        let limiter = RateLimiter(maxRequestsPerMinute: 10_000, clock: clock)
        let reset = clock.now().addingTimeInterval(6)
        await limiter.record(remaining: 0, resetAt: reset)
        await limiter.record(remaining: 9, resetAt: reset)  // a slower, earlier answer arriving late
        try await limiter.acquire()
        #expect(clock.totalSlept == 6)
    }

    @Test func rateLimitedBlocksUntilResetPlusJitter() async throws {
        let clock = InstantWallClock()
        let limiter = RateLimiter(maxRequestsPerMinute: 10_000, clock: clock)
        await limiter.recordRateLimited(resetAt: clock.now().addingTimeInterval(3), jitter: .milliseconds(400))
        try await limiter.acquire()
        #expect(clock.totalSlept == 3.4)
    }

    @Test(
        arguments: [
            ("1763716805", 1_763_716_805.0), (" 42 ", 42), ("inf", nil), ("NaN", nil), ("1e99", nil), ("1.5", nil),
            ("9223372036854775807", 9_223_372_036_854_775_807.0), ("", nil), ("\t7\t", 7), ("  ", nil), ("4 2", nil),
        ] as [(String, Double?)])
    func readsTheResetHeaderAsAnInteger(_ header: String, _ seconds: Double?) {
        #expect(RateLimiter.resetTime(header)?.timeIntervalSince1970 == seconds)
    }

    @Test func aResetFarAheadWaitsTwoWindowsAtMost() async throws {
        let clock = InstantWallClock()
        let limiter = RateLimiter(maxRequestsPerMinute: 10_000, clock: clock)
        await limiter.record(remaining: 0, resetAt: RateLimiter.resetTime("9223372036854775807"))
        try await limiter.acquire()
        #expect(clock.totalSlept == 20)
        await limiter.recordRateLimited(resetAt: .distantFuture, jitter: .milliseconds(400))
        try await limiter.acquire()
        #expect(clock.totalSlept == 40.4)
    }

    @Test func cancellationEndsAWaitPromptly() async throws {
        let limiter = RateLimiter(maxRequestsPerMinute: 6, clock: HourLongSleepClock())
        try await limiter.acquire()  // the window's only slot
        let waiting = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        let started = ContinuousClock.now
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // The clock's sleeps last an hour: ending at all means cancellation ended the wait.
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}

/// Time stands still (so the window never rolls over) and every sleep lasts an hour unless cancelled.
private struct HourLongSleepClock: WallClock {
    let frozen = Date(timeIntervalSince1970: 1_700_000_001)
    func now() -> Date { frozen }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: .seconds(3_600)) }
}
