import Foundation
import GRDB
import Testing

@testable import IntercomTriggers

/// Snapshots go with a contact's deletion (seen through `api contacts delete`), and all of them go when no update
/// topic of contacts runs any more.
@Suite struct SnapshotPruningTests {
    static let updated = "contact.user.updated"

    static func contact(_ id: String, _ version: Int, plan: String) -> NewEvent {
        StoreFixture.candidate(
            updated, id, version,
            body: #"{"type":"contact","id":"\#(id)","updated_at":\#(version),"custom_attributes":{"plan":"\#(plan)"}}"#)
    }

    static func commit(_ store: StateStore, _ events: [NewEvent]) async throws -> [StoredEvent] {
        try await UpdateChangesTests.commit(store, events)
    }

    /// A store holding the snapshot of one contact, closed again.
    static func storeWithOneSnapshot() async throws -> StoreFixture {
        let files = try StoreFixture()
        do {
            let store = try files.open()
            defer { try? store.close() }
            _ = try await Self.commit(store, [Self.contact("c1", 100, plan: "free")])
            return files
        } catch {
            files.remove()
            throw error
        }
    }

    @Test(arguments: StoreEngine.allCases) func aForgottenContactsNextUpdateHasNoEarlierVersion(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store in
            _ = try await Self.commit(
                store, [Self.contact("c1", 100, plan: "free"), Self.contact("c2", 100, plan: "a")])
            #expect(try await store.snapshotCount() == 2)
            #expect(try await store.forgetSnapshots(of: ["c1", "unknown"]) == 1)
            #expect(try await store.snapshotCount() == 1)
            let events = try await Self.commit(
                store, [Self.contact("c1", 200, plan: "pro"), Self.contact("c2", 200, plan: "b")])
            #expect(events.map { $0.changes == nil } == [true, false])
        }
    }

    @Test(arguments: StoreEngine.allCases) func aSnapshotOutlivesItsEventDeflated(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store in
            let page = StoreFixture.snapshotPage([Self.contact("c1", 100, plan: "free")])
            // No destination: nothing refers to the event, retention may prune it at once.
            try await store.commitPage(page, routes: [:])
            #expect(try await Self.storedSnapshot(store) == [nil])  // points at the event, no copy
            #expect(try await store.pruneEvents(before: 2_000) == 1)
            let stored = try #require(try await Self.storedSnapshot(store).first ?? nil)
            #expect(stored.first == SnapshotCodec.deflatedV1)
            // The next update still knows what it was.
            let events = try await Self.commit(store, [Self.contact("c1", 200, plan: "pro")])
            let changes = try #require(events.first?.changes)
            #expect(String(decoding: changes, as: UTF8.self).contains(#""previous":"free","current":"pro""#))
            // And points at its own event again.
            #expect(try await Self.storedSnapshot(store) == [nil])
        }
    }

    /// Each snapshot's stored copy of the item: nil while it points at its event.
    static func storedSnapshot(_ store: StateStore) async throws -> [Data?] {
        try await store.inspectBlobs(
            """
            SELECT CASE WHEN snapshot_event_seq IS NULL THEN snapshot_item END FROM item_role
            WHERE snapshot_version IS NOT NULL ORDER BY item_id
            """)
    }

    @Test func deletingAContactThroughTheCLIForgetsItsSnapshot() async throws {
        let files = try await Self.storeWithOneSnapshot()
        defer { files.remove() }
        // The daemon may be running: the CLI writes as an admin, beside it.
        let daemon = try files.open()
        defer { try? daemon.close() }
        #expect(await DeletedContactSnapshot.forget("c1", store: DaemonConfiguration.Store(path: files.path)) == nil)
        #expect(try await daemon.snapshotCount() == 0)
        // No store on this host: nothing to forget, nothing to say.
        #expect(
            await DeletedContactSnapshot.forget(
                "c1", store: DaemonConfiguration.Store(path: files.directory + "/none.sqlite")) == nil)
    }

    @Test func aStoreThatCannotBeOpenedGivesAWarningNotAFailure() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let path = files.directory + "/not-a-store.sqlite"
        try Data("this is not SQLite".utf8).write(to: URL(fileURLWithPath: path))
        let warning = await DeletedContactSnapshot.forget("c1", store: DaemonConfiguration.Store(path: path))
        #expect(warning?.hasPrefix("the contact is deleted, but its snapshot in \(path) was not forgotten") == true)
    }

    @Test func aDaemonWithoutUpdateTopicsDropsTheSnapshots() async throws {
        let files = try await Self.storeWithOneSnapshot()
        defer { files.remove() }
        for (topics, kept) in [(TopicCatalog.defaults, 1), ([TopicCatalog.topic(named: "contact.lead.created")!], 0)] {
            let configuration = DaemonConfiguration(
                intercom: .init(accessToken: Secret("t", source: .inline(key: "access_token"))),
                store: .init(path: files.path), triggers: .init(topics: topics))
            let daemon = try await Daemon.build(configuration: configuration, logger: DeliveryFixture.quiet)
            #expect(try await daemon.store.snapshotCount() == kept)
            try daemon.store.close()
        }
    }
}
