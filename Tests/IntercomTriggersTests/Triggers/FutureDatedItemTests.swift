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
            #expect(p.telemetry.snapshot.itemsFutureDated == ["contacts": 4])
            #expect(try await p.status().text().contains("4 items dated in the future"))
        }
    }
}
