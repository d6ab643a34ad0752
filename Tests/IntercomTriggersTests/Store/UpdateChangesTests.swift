import Foundation
import Testing

@testable import IntercomTriggers

/// Update events carry what changed since the version of the contact seen before (`item_snapshot`, kept in
/// the page's transaction), and the envelope passes it on as `data.changes`.
@Suite struct UpdateChangesTests {
    static let updated = "contact.user.updated"

    static func contact(_ version: Int, plan: String, email: String = "a@x.io") -> String {
        #"{"type":"contact","id":"c1","email":"\#(email)","updated_at":\#(version),"custom_attributes":{"plan":"\#(plan)"}}"#
    }

    static func commit(
        _ store: StateStore, _ events: [NewEvent], snapshots: Bool = true, at time: Int = 1_000
    ) async throws -> [StoredEvent] {
        var page = StoreFixture.snapshotPage(events, detectedAt: time)
        page.keepsSnapshots = snapshots
        return try await store.commitPage(page, routes: ["console": nil])
    }

    static func changes(_ event: StoredEvent) throws -> [String: [String: String]]? {
        guard let data = event.changes else { return nil }
        return try JSONSerialization.jsonObject(with: data) as? [String: [String: String]]
    }

    @Test(arguments: StoreEngine.allCases) func anUpdateSaysWhatChangedSinceTheVersionSeenBefore(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store in
            let first = try await Self.commit(
                store, [StoreFixture.candidate(Self.updated, "c1", 100, body: Self.contact(100, plan: "free"))])
            #expect(first.count == 1)
            #expect(first[0].changes == nil)  // nothing seen before
            let second = try await Self.commit(
                store,
                [StoreFixture.candidate(Self.updated, "c1", 200, body: Self.contact(200, plan: "pro", email: "b@x.io"))]
            )
            let changes = try #require(try Self.changes(second[0]))
            #expect(changes.keys.sorted() == ["custom_attributes.plan", "email"])
            #expect(changes["email"] == ["previous": "a@x.io", "current": "b@x.io"])
            #expect(changes["custom_attributes.plan"] == ["previous": "free", "current": "pro"])
            // Kept with the event: read back from the store, and on the wire.
            let stored = try #require(try await store.event(id: second[0].id))
            #expect(stored.changes == second[0].changes)
            let body = EventEnvelope(event: stored, appID: "app1", deliveryAttempts: 1, firstSentAt: 1_000).body
            let envelope = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let data = try #require(envelope["data"] as? [String: Any])
            let wire = try #require(data["changes"] as? [String: [String: Any]])
            #expect(wire["custom_attributes.plan"]?["previous"] as? String == "free")
            #expect(wire["custom_attributes.plan"]?["current"] as? String == "pro")
            #expect(data["item"] != nil)
            // The first one says why it has none.
            let firstBody = EventEnvelope(event: first[0], appID: "app1", deliveryAttempts: 1, firstSentAt: 1_000).body
            let firstData = try #require(
                (try JSONSerialization.jsonObject(with: firstBody) as? [String: Any])?["data"] as? [String: Any])
            #expect(firstData["changes"] == nil)
            #expect(firstData["changes_unavailable"] as? String == "no_earlier_version")
        }
    }

    @Test(arguments: StoreEngine.allCases) func aCreatedAndAnUpdatedEventOfOneSightingHaveNoChanges(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store in
            let body = Self.contact(300, plan: "free")
            let events = try await Self.commit(
                store,
                [
                    StoreFixture.candidate("contact.user.created", "c1", 50, body: body),
                    StoreFixture.candidate(Self.updated, "c1", 300, body: body),
                ])
            #expect(events.count == 2)
            #expect(events.allSatisfy { $0.changes == nil })
            // A created event carries no `changes_unavailable`: it is no update.
            let created = EventEnvelope(event: events[0], appID: "a", deliveryAttempts: 1, firstSentAt: 1).body
            #expect(!String(decoding: created, as: UTF8.self).contains("changes"))
        }
    }

    @Test(arguments: StoreEngine.allCases) func anOlderVersionReadLateIsNotComparedWithANewerOne(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store in
            _ = try await Self.commit(
                store, [StoreFixture.candidate(Self.updated, "c1", 200, body: Self.contact(200, plan: "pro"))])
            let late = try await Self.commit(
                store, [StoreFixture.candidate(Self.updated, "c1", 150, body: Self.contact(150, plan: "free"))])
            #expect(late[0].changes == nil)
            // The snapshot stayed at the newer version: the next update compares with it.
            let next = try await Self.commit(
                store, [StoreFixture.candidate(Self.updated, "c1", 250, body: Self.contact(250, plan: "team"))])
            #expect(try Self.changes(next[0])?["custom_attributes.plan"] == ["previous": "pro", "current": "team"])
        }
    }

    @Test(arguments: StoreEngine.allCases) func withoutUpdateTopicsNoSnapshotIsKept(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store in
            _ = try await Self.commit(
                store, [StoreFixture.candidate(Self.updated, "c1", 100, body: Self.contact(100, plan: "free"))],
                snapshots: false)
            let second = try await Self.commit(
                store, [StoreFixture.candidate(Self.updated, "c1", 200, body: Self.contact(200, plan: "pro"))],
                snapshots: false)
            #expect(second[0].changes == nil)
        }
    }
}
