import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct StatusAndTailTests {
    static func seeded(_ store: StateStore) async throws {
        try await store.ensureTopics(["contact.lead.created": 1_000, "contact.user.created": 1_000])
        try await store.setAppID("ws1")
        try await store.commitPage(
            PageCommit(
                events: [
                    NewEvent(
                        id: "e1", topic: "contact.lead.created", itemID: "a", version: 1_100,
                        item: Data(#"{"id":"a"}"#.utf8)),
                    NewEvent(
                        id: "e2", topic: "contact.user.created", itemID: "b", version: 1_200,
                        item: Data(#"{"id":"b"}"#.utf8)),
                ],
                watermarks: ["contact.lead.created": 1_201, "contact.user.created": 1_201], detectedAt: 1_300),
            routes: ["out": nil, "crm": ["contact.user.created"]])
        try await store.recordPoll(topics: ["contact.lead.created"], at: 1_300, result: "ok: 1 requests", error: nil)
        try await store.recordPoll(
            topics: ["contact.user.created"], at: 1_300, result: "error", error: "401 unauthorized")
    }

    @Test func statusShowsWatermarksLagPollsAndQueues() async throws {
        try await StoreFixture.withStore { store in
            try await Self.seeded(store)
            try await store.markDelivered(destination: "out", seqs: [1], at: 1_350)
            let report = try await StatusReport.collect(
                store: store, topics: ["contact.lead.created", "contact.user.created"], destinations: ["out", "crm"],
                now: 1_400)
            #expect(report.workspace == "ws1")
            #expect(report.topics.map(\.watermark) == [1_201, 1_201])
            #expect(report.topics.map(\.lagSeconds) == [199, 199])
            #expect(report.topics[1].lastError == "401 unauthorized")
            #expect(report.destinations.map(\.name) == ["out", "crm"])
            #expect(report.destinations.map(\.pending) == [1, 1])
            let text = report.text()
            #expect(text.contains("contact.user.created"))
            #expect(text.contains("last error: 401 unauthorized"))
            #expect(text.contains("crm: 1 queued"))
            let json = try JSONSerialization.jsonObject(with: try report.json()) as? [String: Any]
            #expect((json?["topics"] as? [[String: Any]])?.first?["lag_seconds"] as? Int == 199)
        }
    }

    @Test func tailPrintsEnvelopesOnceAndThenOnlyNewOnes() async throws {
        try await StoreFixture.withStore { store in
            try await Self.seeded(store)
            let tail = EventTail(store: store, topic: nil, since: nil, appID: "ws1")
            let first = try await tail.next().map { try JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            #expect(first.map { $0?["id"] as? String } == ["e1", "e2"])
            #expect(
                first.allSatisfy { $0?["app_id"] as? String == "ws1" && $0?["type"] as? String == "notification_event" }
            )
            await #expect(try tail.next().isEmpty)
            try await store.commitPage(
                PageCommit(
                    events: [
                        NewEvent(
                            id: "e3", topic: "contact.lead.created", itemID: "c", version: 1_500, item: Data("{}".utf8))
                    ],
                    watermarks: [:], detectedAt: 1_600), routes: [:])
            await #expect(try tail.next().count == 1)
            let leads = EventTail(store: store, topic: "contact.lead.created", since: 1_500, appID: "ws1")
            await #expect(try leads.next().count == 1)
        }
    }
}
