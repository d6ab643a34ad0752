import Foundation
import IntercomTriggersTesting
import Logging
import Testing

@testable import IntercomTriggers

/// An item Intercom returns in a form that cannot be read (not an object, no usable id, a timestamp of the
/// wrong type or missing) is skipped with one error line, a metric and a `status` count; the rest of its page
/// is classified and committed and the watermark moves on.
@Suite struct MalformedItemTests {
    static let page = """
        {"type":"list","data":[
          {"type":"contact","id":"c1","role":"lead","created_at":1000,"updated_at":1000},
          "not an object",
          {"type":"contact","id":"","role":"lead","created_at":1010,"updated_at":1010},
          {"type":"contact","id":"c2","role":"lead","created_at":"soon","updated_at":1020},
          {"type":"contact","id":"c4","role":"user","created_at":1030},
          {"type":"contact","id":"c3","role":"user","created_at":1100,"updated_at":1100}
        ],"total_count":6,"pages":{"type":"pages","page":1,"per_page":150,"total_pages":1}}
        """

    @Test func badItemsAreSkippedLoggedAndCountedWhileTheRestFires() async throws {
        let (logger, lines) = CapturingLogHandler.logger()
        try await PagePoller.with(FakeTransport(body: Self.page), logger: logger) { p in
            let report = try #require(try await p.poller.cycle(workspaceID: "ws").first)

            #expect(report.skipped.map(\.id) == [nil, nil, "c2", "c4"])
            #expect(report.items == 2)
            let fired = try await p.store.events(afterSeq: 0, topic: nil, since: nil, limit: 10).map {
                "\($0.topic) \($0.itemID)"
            }
            #expect(Set(fired) == ["contact.lead.created c1", "contact.user.created c3"])
            for state in try await p.store.topicStates() {
                #expect(state.skippedItems == 4)
                #expect(state.watermark == 1_101)
                #expect(state.lastResult == "ok: 1 requests, 2 items, 4 skipped, 2 events")
            }
            #expect(p.telemetry.snapshot.itemsSkipped == ["contacts": 4])
            let skippedLines = lines.all.filter { $0.contains("Skipped an item") }
            #expect(skippedLines.count == 4)
            #expect(skippedLines.contains { $0.contains("c2") && $0.contains("created_at") })
            let status = try await p.status()
            #expect(status.topics.map(\.skippedItems) == [4, 4])
            #expect(status.text().contains("4 items skipped"))
        }
    }

    /// A page of more items than any page asked for (a 32 MB answer can hold 11 million `{}`) is refused before its
    /// items are listed: the poll fails with the reason, nothing is read or logged item by item.
    @Test func aPageOfMoreItemsThanAnyAskedForIsRefusedWhole() async throws {
        let count = IntercomClient.maximumSearchPageItems + 1
        let page =
            #"{"type":"list","data":["# + Array(repeating: "{}", count: count).joined(separator: ",")
            + #"],"total_count":1,"pages":{"type":"pages","page":1,"per_page":150,"total_pages":1}}"#
        let (logger, lines) = CapturingLogHandler.logger()
        try await PagePoller.with(FakeTransport(body: page), logger: logger) { p in
            await #expect(throws: IntercomError.self) { try await p.poller.cycle(workspaceID: "ws") }
            for state in try await p.store.topicStates() {
                #expect(state.lastError?.contains("more than 1000 items on one page") == true)
                #expect(state.skippedItems == 0)
                #expect(state.watermark == 0)
            }
            #expect(!lines.all.contains { $0.contains("Skipped an item") })
            #expect(p.telemetry.snapshot.itemsSkipped.isEmpty)
        }
    }
}
