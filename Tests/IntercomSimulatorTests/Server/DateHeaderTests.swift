import Foundation
import IntercomSimulator
import Testing

/// Every answer carries a `Date` from the simulator's clock, so tests can skew Intercom's time.
@Suite struct DateHeaderTests {
    @Test func everyAnswerIsDatedByTheSimulatorsClock() async throws {
        let clock = SimulatorClock(pinnedAt: midWindow)  // Fri, 21 Nov 2025 09:20:05 GMT
        try await withSimulator(clock: clock) { server, client in
            let me = try await client.api("GET", "/me", on: server)
            #expect(me.status == 200)
            #expect(me.header("Date") == "Fri, 21 Nov 2025 09:20:05 GMT")

            clock.advance(by: 86_400 * 400 + 3_661)
            let unauthorized = try await client.api("GET", "/me", on: server, token: "wrong")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.header("Date") == "Sat, 26 Dec 2026 10:21:06 GMT")
            let missing = try await client.api("GET", "/nothing", on: server)
            #expect(missing.status == 404)
            #expect(missing.header("Date") == "Sat, 26 Dec 2026 10:21:06 GMT")
            let control = try await client.control("GET", "/__sim/counts", on: server)
            #expect(control.header("Date") == "Sat, 26 Dec 2026 10:21:06 GMT")
        }
    }
}
