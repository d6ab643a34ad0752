import Foundation
import GRDB
import IntercomSimulator
import Synchronization
import Testing

@testable import IntercomTriggers

/// A new contact's update version, superseded by its created event in the same sighting, is held by the
/// contact's snapshot (schema v9) instead of a `seen_version` row: it stays seen when the snapshot moves on or
/// goes, and a reset forgets it like any seen version. A quiet re-read writes no role rows.
@Suite struct SupersededUpdateTests {
    static let created = "contact.user.created"
    static let updated = "contact.user.updated"

    /// A backfill page of one user: created at 100, updated at 150 (the update superseded).
    static func backfill(_ store: StateStore) async throws {
        var page = StoreFixture.snapshotPage([
            StoreFixture.candidate(
                created, "c1", 100, body: #"{"type":"contact","id":"c1","updated_at":150,"name":"Ann"}"#)
        ])
        page.seenOnly = [SeenVersion(topic: updated, itemID: "c1", version: 150)]
        try await store.commitPage(page, routes: ["console": nil])
    }

    static func isSeen(_ store: StateStore, _ version: Int) async throws -> Bool {
        let candidate = SeenVersion(topic: updated, itemID: "c1", version: version)
        return try await store.sightings(of: [candidate], roles: ["c1": version]).seen.contains(candidate)
    }

    static func seenRows(_ store: StateStore) async throws -> [Int] {
        try await store.inspectIntegers(
            "SELECT version FROM seen_version WHERE topic = '\(updated)' ORDER BY version"
        ).compactMap { $0 }
    }

    @Test(arguments: StoreEngine.allCases) func theSnapshotHoldsTheSupersededVersionInsteadOfARow(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store in
            try await Self.backfill(store)
            #expect(try await Self.seenRows(store) == [])
            #expect(try await Self.isSeen(store, 150))
            #expect(try await !Self.isSeen(store, 151))
            #expect(try await store.seenVersionCount(topic: Self.updated) == 1)
        }
    }

    @Test(arguments: StoreEngine.allCases) func theVersionStaysSeenWhenTheSnapshotMovesOn(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store in
            try await Self.backfill(store)
            let next = try await UpdateChangesTests.commit(
                store,
                [StoreFixture.candidate(Self.updated, "c1", 200, body: #"{"type":"contact","id":"c1","name":"Bo"}"#)])
            #expect(next.count == 1)
            #expect(try UpdateChangesTests.changes(next[0])?["name"] == ["previous": "Ann", "current": "Bo"])
            // The mark became a row (trigger item_role_settle_cover) beside the new version's.
            #expect(try await Self.seenRows(store) == [150, 200])
            #expect(try await Self.isSeen(store, 150))
            #expect(try await store.seenVersionCount(topic: Self.updated) == 2)
        }
    }

    @Test(arguments: StoreEngine.allCases, [false, true])
    func theVersionStaysSeenWhenTheSnapshotGoes(engine: StoreEngine, allOfThem: Bool) async throws {
        try await StoreFixture.withStore(engine) { store in
            try await Self.backfill(store)
            let gone = allOfThem ? try await store.dropSnapshots() : try await store.forgetSnapshots(of: ["c1"])
            #expect(gone == 1)
            #expect(try await store.snapshotCount() == 0)
            #expect(try await Self.seenRows(store) == [150])
            #expect(try await Self.isSeen(store, 150))
        }
    }

    @Test(arguments: [(120, false), (150, false), (151, true)])
    func aResetForgetsTheVersionWhenItsTargetReachesIt(target: Int, stillSeen: Bool) async throws {
        try await StoreFixture.withStore { store in
            try await Self.backfill(store)
            try await store.requestReset(topic: Self.updated, to: target)
            #expect(try await store.applyPendingResets() == [Self.updated])
            #expect(try await Self.isSeen(store, 150) == stillSeen)
            #expect(try await Self.seenRows(store) == [])
        }
    }

    @Test func aStoreOfSchemaV8KeepsItsSnapshots() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let queue = try files.openSchema(upTo: "v8")
        let deflated = SnapshotCodec().encode(Data(#"{"type":"contact","id":"c2","name":"Cy"}"#.utf8))
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO event (id, topic, item_id, version, detected_at, item)
                    VALUES ('e1', 'contact.user.created', 'c1', 100, 1000, '{"type":"contact","id":"c1","name":"Ann"}');
                    INSERT INTO item_role (item_id, role, was_lead, first_version) VALUES ('c1', 'user', 0, 100), ('c2', 'user', 0, 100);
                    INSERT INTO item_snapshot (item_id, version, item, event_seq) VALUES ('c1', 100, X'', 1);
                    """)
            try db.execute(
                sql: "INSERT INTO item_snapshot (item_id, version, item, event_seq) VALUES ('c2', 100, ?, NULL)",
                arguments: [deflated])
        }
        try queue.close()
        let store = try files.open()
        defer { try? store.close() }
        #expect(try await store.snapshotCount() == 2)
        let next = try await UpdateChangesTests.commit(
            store,
            ["c1", "c2"].map {
                StoreFixture.candidate(Self.updated, $0, 200, body: #"{"type":"contact","id":"\#($0)","name":"Di"}"#)
            })
        #expect(try next.map { try UpdateChangesTests.changes($0)?["name"]?["previous"] } == ["Ann", "Cy"])
    }

    @Test func aQuietReReadWritesNoRoles() async throws {
        let t0 = PassCorrectnessTests.base + 43_200
        try await TriggerHarness.run(at: t0, topics: TopicCatalog.defaults, start: 0) { h in
            for index in 0..<5 {
                try h.workspace.createContact(
                    role: "user", email: "u\(index)@example.com", createdAt: t0 - 100, updatedAt: t0 - 50 + index)
            }
            let pages = Mutex<[PageCommit]>([])
            func pass() async throws -> PassReport {
                let store = h.store
                return try await ResourcePass(
                    resource: .contacts, topics: h.topics, lookback: h.lookback, workspaceID: "ws"
                ).run(source: IntercomObservationSource(client: h.client), store: store, now: h.now) { page in
                    pages.withLock { $0.append(page) }
                    return try await store.commit(page, routes: ["sink": nil])
                }
            }
            #expect(try await pass().events == 5)
            #expect(pages.withLock { $0.flatMap(\.roles.keys).count } == 5)
            #expect(try await Self.seenRows(h.store) == [])  // the snapshots hold the superseded updates
            pages.withLock { $0.removeAll() }
            // Everything is inside the lookback: read again, nothing fires, no role is written again.
            let again = try await pass()
            #expect(again.items == 5 && again.events == 0)
            #expect(pages.withLock { $0.flatMap(\.roles.keys) } == [])
        }
    }
}
