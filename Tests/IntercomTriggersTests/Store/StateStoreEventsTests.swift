import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct StateStoreEventsTests {
    let leads = "contact.lead.created"
    let conversations = "conversation.user.created"

    @Test(arguments: StoreEngine.allCases) func tailPagesThroughEventsAfterACursor(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            #expect(try await store.lastEventSeq() == 0)
            let first = try await store.commitPage(
                StoreFixture.page(
                    [StoreFixture.candidate(leads, "c1", 10), StoreFixture.candidate(conversations, "v1", 11)],
                    detectedAt: 1_000))
            let second = try await store.commitPage(
                StoreFixture.page(
                    [StoreFixture.candidate(leads, "c2", 20), StoreFixture.candidate(conversations, "v2", 21)],
                    detectedAt: 2_000))
            let all = first + second

            var cursor: Int64 = 0
            var seen: [String] = []
            while case let batch = try await store.events(afterSeq: cursor, topic: nil, since: nil, limit: 3),
                !batch.isEmpty
            {
                seen += batch.map(\.id)
                cursor = try #require(batch.last?.seq)
            }
            #expect(seen == all.map(\.id))
            #expect(cursor == (try await store.lastEventSeq()))

            #expect(
                try await store.events(afterSeq: 0, topic: leads, since: nil, limit: 10).map(\.itemID) == ["c1", "c2"])
            #expect(
                try await store.events(afterSeq: 0, topic: nil, since: 2_000, limit: 10).map(\.itemID) == ["c2", "v2"])
            #expect(
                try await store.events(afterSeq: all[2].seq, topic: conversations, since: 1_500, limit: 10).map(
                    \.itemID)
                    == ["v2"])
            #expect(try await store.events(afterSeq: cursor, topic: nil, since: nil, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.allCases) func eventLookupByID(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let event = StoreFixture.candidate(leads, "c1", 10)
            let stored = try await store.commitPage(StoreFixture.page([event]))
            #expect(try await store.event(id: event.id) == stored.first)
            #expect(try await store.event(id: "missing") == nil)
        }
    }

    @Test(arguments: StoreEngine.allCases) func metaValuesRoundTrip(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            #expect(try await store.metaValue(forKey: "note") == nil)
            try await store.setMetaValue("ws_1", forKey: "note")
            try await store.setMetaValue("ws_2", forKey: "note")
            #expect(try await store.metaValue(forKey: "note") == "ws_2")
            try await store.setMetaValue(nil, forKey: "note")
            #expect(try await store.metaValue(forKey: "note") == nil)
        }
    }
}
