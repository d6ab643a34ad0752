import Foundation
import IntercomTriggersTesting
import Logging
import Testing

@testable import IntercomTriggers

/// API clients can set `created_at`: an item dated in milliseconds or at `Int.max` fires as usual, but never
/// moves a watermark past the clock plus a margin (nor overflows it), so later records still fire.
@Suite struct FutureDatedItemTests {
    static func page(_ items: [String]) -> String {
        #"{"type":"list","data":["# + items.joined(separator: ",")
            + #"],"total_count":1,"pages":{"type":"pages","page":1,"per_page":150,"total_pages":1}}"#
    }

    static func contact(_ id: String, _ role: String, _ time: Int) -> String {
        #"{"type":"contact","id":"\#(id)","role":"\#(role)","created_at":\#(time),"updated_at":\#(time)}"#
    }

    @Test func theMarginIsCountedFromIntercomsClockOnceItsResponsesGiveIt() async throws {
        let host = 1_800_000_000
        // Intercom's clock is an hour ahead of this host's.
        let dated = [(name: "Date", value: HTTPDate.format(Date(timeIntervalSince1970: Double(host + 3_600))))]
        let transport = FakeTransport([
            .ok(Self.page([Self.contact("c1", "lead", host - 100)]), headers: dated),
            .ok(
                Self.page([Self.contact("c2", "user", host + 1_800), Self.contact("c1", "lead", host - 100)]),
                headers: dated),
        ])
        try await PagePoller.with(transport, at: host) { p in
            _ = try await p.poller.cycle(workspaceID: "ws")
            let second = try #require(try await p.poller.cycle(workspaceID: "ws").first)
            // By the host's clock c2 is 30 minutes in the future; by Intercom's it is half an hour old.
            #expect(second.futureDated.isEmpty)
            for state in try await p.store.topicStates() {
                #expect(state.watermark == host + 1_801)
                #expect(state.lastPassStart == host + 3_600)
            }
        }
    }

    @Test func aFutureItemFiresButTheWatermarkStopsAtTheClockPlusTheMargin() async throws {
        let future = [Self.contact("max", "lead", Int.max), Self.contact("millis", "user", 1_763_716_800_000)]
        let transport = FakeTransport([
            .ok(Self.page(future + [Self.contact("c1", "lead", 1_000)])),
            .ok(Self.page(future + [Self.contact("c2", "user", 2_100), Self.contact("c1", "lead", 1_000)])),
        ])
        try await PagePoller.with(transport) { p in
            let first = try #require(try await p.poller.cycle(workspaceID: "ws").first)
            #expect(first.futureDated == ["max", "millis"])
            for state in try await p.store.topicStates() {
                #expect(state.watermark == 2_000 + ResourcePass.futureMargin + 1)
                #expect(state.futureDatedItems == 2)
            }
            // A record created after the first poll, behind the future ones, still fires.
            p.clock.advance(by: 200)
            _ = try await p.poller.cycle(workspaceID: "ws")
            let fired = try await p.store.events(afterSeq: 0, topic: nil, since: nil, limit: 10).map(\.itemID)
            #expect(Set(fired) == ["max", "millis", "c1", "c2"])
            #expect(fired.count == 4)
            // Counted once per item, not again each time a poll re-reads it.
            #expect(p.telemetry.snapshot.itemsFutureDated == ["contacts": 2])
            #expect(try await p.status().text().contains("2 items dated in the future"))
        }
    }
}
