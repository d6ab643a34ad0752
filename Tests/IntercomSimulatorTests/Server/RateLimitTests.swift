import Foundation
import Testing

@testable import IntercomSimulator

@Suite struct RateLimitTests {
    @Test func headersCountDownThenRefuseUntilTheNextWindow() async throws {
        var configuration = SimulatorConfiguration()
        configuration.rateLimitPerWindow = 3
        let clock = SimulatorClock(pinnedAt: midWindow)
        let windowEnd = String(Int(midWindow) + 5)
        try await withSimulator(configuration, clock: clock) { server, client in
            for expected in ["2", "1", "0"] {
                let reply = try await client.api("GET", "/me", on: server)
                #expect(reply.status != 429)
                #expect(reply.header("X-RateLimit-Limit") == "3")
                #expect(reply.header("X-RateLimit-Remaining") == expected)
                #expect(reply.header("X-RateLimit-Reset") == windowEnd)
            }

            let refused = try await client.api("GET", "/me", on: server)
            #expect(refused.status == 429)
            #expect(refused.json?["type"] as? String == "error.list")
            #expect(
                refused.firstError == [
                    "code": "rate_limit_exceeded", "message": "Exceeded rate limit of 3 in 10_seconds",
                ])
            #expect(refused.header("X-RateLimit-Limit") == "3")
            #expect(refused.header("X-RateLimit-Remaining") == "0")
            #expect(refused.header("X-RateLimit-Reset") == windowEnd)
            #expect(refused.header("Retry-After") == nil)

            // Still the same window one second before its end.
            clock.advance(by: 4)
            #expect(try await client.api("GET", "/me", on: server).status == 429)

            clock.advance(by: 1)
            let admitted = try await client.api("GET", "/me", on: server)
            #expect(admitted.status != 429)
            #expect(admitted.header("X-RateLimit-Remaining") == "2")
            #expect(admitted.header("X-RateLimit-Reset") == String(Int(midWindow) + 15))
            #expect(server.requestCount(status: 429) == 2)
        }
    }

    @Test func concurrentRequestsShareOneBudgetExactly() async throws {
        var configuration = SimulatorConfiguration()
        configuration.rateLimitPerWindow = 10
        try await withSimulator(configuration, clock: SimulatorClock(pinnedAt: midWindow)) { server, client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<16 { group.addTask { try await client.api("GET", "/me", on: server).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 429 }.count == 6)
            #expect(server.requestCount(status: 429) == 6)
            #expect(server.totalRequestCount == 16)
        }
    }

    @Test func controlRequestsAndBadCredentialsDoNotUseTheBudget() async throws {
        var configuration = SimulatorConfiguration()
        configuration.rateLimitPerWindow = 1
        try await withSimulator(configuration, clock: SimulatorClock(pinnedAt: midWindow)) { server, client in
            _ = try await client.control("GET", "/__sim/stats", on: server)
            _ = try await client.api("GET", "/me", on: server, token: "wrong")
            _ = try await client.api("GET", "/me", on: server, version: "9.9")
            let reply = try await client.api("GET", "/me", on: server)
            #expect(reply.status != 429)
            #expect(reply.header("X-RateLimit-Remaining") == "0")
        }
    }

    @Test(arguments: [
        (0.0, 0, 10), (9.999, 0, 10), (10.0, 10, 20), (1_763_716_809.5, 1_763_716_800, 1_763_716_810),
    ])
    func windowsAreAlignedToTenSeconds(now: Double, start: Int, reset: Int) {
        let limiter = RateLimiter(perWindow: 2)
        let decision = limiter.admit(now: now)
        #expect(decision == RateLimiter.Decision(allowed: true, limit: 2, remaining: 1, reset: reset))
        // The window began at `start`: a request just before it is in another window with a fresh budget.
        if start > 0 {
            #expect(limiter.admit(now: Double(start) - 0.001).remaining == 1)
        }
    }

    @Test func changingTheLimitKeepsWhatTheWindowUsed() {
        let limiter = RateLimiter(perWindow: 5)
        _ = limiter.admit(now: midWindow)
        _ = limiter.admit(now: midWindow)
        limiter.perWindow = 3
        #expect(limiter.admit(now: midWindow).remaining == 0)
        #expect(limiter.admit(now: midWindow).allowed == false)
        limiter.resetWindow()
        #expect(limiter.admit(now: midWindow).remaining == 2)
    }
}
