import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Intercom's clock from the `Date` header of its responses.
@Suite struct IntercomClockTests {
    /// The test clock's start, 2025-11-21 09:20:00 GMT.
    static let hostStart = Date(timeIntervalSince1970: 1_763_716_800)

    static func dated(_ date: String?) -> FakeTransport.Outcome {
        .ok(IntercomClientTests.contactBody, headers: date.map { [("Date", $0)] } ?? [])
    }

    @Test func serverNowIsNilBeforeAnyDatedResponse() async throws {
        let transport = FakeTransport([Self.dated(nil)])
        let client = IntercomClientTests.client(transport)
        #expect(client.serverNow() == nil)
        _ = try await client.getContact(id: "c1")
        #expect(client.serverNow() == nil)
    }

    @Test func serverNowAdvancesWithTheClientsClock() async throws {
        let clock = InstantWallClock(now: Self.hostStart)
        // Intercom is 90 s ahead of the host.
        let transport = FakeTransport([Self.dated("Fri, 21 Nov 2025 09:21:30 GMT")])
        let client = IntercomClientTests.client(transport, clock: clock)
        _ = try await client.getContact(id: "c1")
        #expect(client.serverNow() == Self.hostStart.addingTimeInterval(90))
        clock.advance(by: 12.5)
        #expect(client.serverNow() == Self.hostStart.addingTimeInterval(102.5))
    }

    @Test func everyResponseCountsErrorsIncluded() async throws {
        let clock = InstantWallClock(now: Self.hostStart)
        let transport = FakeTransport([
            .error(404, code: "not_found", message: "nope", headers: [("Date", "Fri, 21 Nov 2025 09:20:05 GMT")])
        ])
        let client = IntercomClientTests.client(transport, clock: clock)
        _ = try? await client.getContact(id: "c1")
        #expect(client.serverNow() == Self.hostStart.addingTimeInterval(5))
    }

    /// An unusable header leaves the last good reading in place.
    @Test(arguments: [
        "garbage", "", "Fri, 21 Nov 2025 09:20:05 PST", "Sat, 01 Jan 2000 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 2100 00:00:01 GMT", String(repeating: "x", count: 5000),
    ])
    func anUnusableDateIsIgnored(_ header: String) async throws {
        let clock = InstantWallClock(now: Self.hostStart)
        let transport = FakeTransport([Self.dated("Fri, 21 Nov 2025 09:20:05 GMT"), Self.dated(header)])
        let client = IntercomClientTests.client(transport, clock: clock)
        _ = try await client.getContact(id: "c1")
        clock.advance(by: 1)
        _ = try await client.getContact(id: "c1")
        #expect(client.serverNow() == Self.hostStart.addingTimeInterval(6))
    }

    @Test func aSkewIsLoggedOnceAndItsEndOnce() async throws {
        let clock = InstantWallClock(now: Self.hostStart)
        let transport = FakeTransport([
            Self.dated("Fri, 21 Nov 2025 09:20:30 GMT"),  // +30 s: within the tolerance
            Self.dated("Fri, 21 Nov 2025 09:22:01 GMT"),  // +121 s
            Self.dated("Fri, 21 Nov 2025 09:22:01 GMT"),
            Self.dated("Fri, 21 Nov 2025 09:22:01 GMT"),
            Self.dated("Fri, 21 Nov 2025 09:20:10 GMT"),  // +10 s: agreeing again
            Self.dated("Fri, 21 Nov 2025 09:20:10 GMT"),
        ])
        let (logger, logs) = CapturingLogHandler.logger()
        let client = IntercomClientTests.client(transport, clock: clock, logger: logger)
        for _ in 0..<6 { _ = try await client.getContact(id: "c1") }
        let clockLines = logs.all.filter { $0.contains("intercom_minus_host_seconds") }
        #expect(
            clockLines == [
                "warning the host clock and Intercom's differ by more than a minute; check the host's time "
                    + "synchronisation intercom_minus_host_seconds=121",
                "info the host clock agrees with Intercom's again intercom_minus_host_seconds=10",
            ])
    }
}
