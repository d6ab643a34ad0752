import Foundation
import GRDB
import Testing

@testable import IntercomTriggers

/// Migration v10 (#15): a single-workspace store becomes workspace 1, `default`, in place — every row under it,
/// the app id moved out of `meta`, every event id and seq unchanged — and the daemon's operations go on on it.
@Suite struct StoreMigrationV10Tests {
    static let created = "contact.user.created"
    static let updated = "contact.user.updated"

    /// The per-workspace tables and how many rows the v9 store of ``v9Store(appID:)`` holds in each.
    static let rows: [(table: String, count: Int)] = [
        ("topic_state", 2), ("seen_version", 3), ("item_role", 2), ("item_role_change", 1), ("pass_resume", 1),
        ("event", 3),
    ]

    /// A store of schema v9 with rows in every table: two contacts (c1's snapshot points at its event and stands
    /// for its superseded update at 150; c2's is deflated), three events (one pre-v5, without an app id), their
    /// outbox rows (one dead), a disabled destination, a filter count and an unfinished pass.
    static func v9Store(_ files: StoreFixture, appID: String?) async throws {
        let queue = try files.openSchema(upTo: "v9")
        let deflated = SnapshotCodec().encode(Data(#"{"type":"contact","id":"c2","name":"Cy"}"#.utf8))
        try await queue.write { db in
            if let appID {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('workspace_id', ?)", arguments: [appID])
            }
            try db.execute(
                sql: """
                    INSERT INTO topic_state (topic, watermark, start_at, last_pass_start, pruned_below, suppressed_updates)
                    VALUES ('contact.user.created', 300, 0, 310, NULL, 0), ('contact.user.updated', 300, 0, 310, 50, 4);
                    INSERT INTO seen_version (topic, item_id, version, seen_at) VALUES
                        ('contact.user.created', 'c1', 100, 1000), ('contact.user.created', 'c2', 100, 1000),
                        ('contact.user.updated', 'c2', 200, 1000);
                    INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id) VALUES
                        ('e-old', 'contact.user.created', 'c0', 50, 900, '{"type":"contact","id":"c0"}', NULL);
                    DELETE FROM event WHERE id = 'e-old';
                    INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id) VALUES
                        ('e1', 'contact.user.created', 'c1', 100, 1000, '{"type":"contact","id":"c1","name":"Ann"}', NULL),
                        ('e2', 'contact.user.created', 'c2', 100, 1000, '{"type":"contact","id":"c2","name":"Cy"}', 'ws_app'),
                        ('e3', 'contact.user.updated', 'c2', 200, 1001, '{"type":"contact","id":"c2","name":"Cy"}', 'ws_app');
                    INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at)
                    VALUES ('hook', 2, 'pending', 0, 0), ('hook', 3, 'dead', 5, 0), ('console', 4, 'delivered', 1, 0);
                    INSERT INTO destination_state (name, disabled_at, disabled_reason) VALUES ('gone', 1000, 'HTTP 410');
                    INSERT INTO destination_filtered (name, skipped) VALUES ('hook', 7);
                    INSERT INTO item_role (item_id, role, was_lead, first_version, snapshot_version, snapshot_event_seq,
                        covers_topic, covers_version)
                    VALUES ('c1', 'user', 1, 50, 100, 2, 'contact.user.updated', 150);
                    INSERT INTO item_role_change (item_id, version, from_role, from_was_lead) VALUES ('c1', 100, 'lead', 1);
                    INSERT INTO pass_resume (resource, field, pass_start, bound, newest, reached)
                    VALUES ('contacts', 'updated_at', 400, 250, 390, 320);
                    """)
            try db.execute(
                sql: """
                    INSERT INTO item_role (item_id, role, was_lead, first_version, snapshot_version, snapshot_item)
                    VALUES ('c2', 'user', 0, 100, 200, ?)
                    """,
                arguments: [deflated])
        }
        try queue.close()
    }

    /// Runs `body` with the daemon's store opened on ``v9Store(_:appID:)``: migrated to the current schema.
    static func withMigratedStore(appID: String?, _ body: (StateStore) async throws -> Void) async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await v9Store(files, appID: appID)
        let store = try files.open()
        defer { try? store.close() }
        try await body(store)
    }

    static func count(_ store: StateStore, _ sql: String) async throws -> Int {
        try await store.read("test") { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func everyRowBecomesWorkspaceOnesWithItsEventIDsAndSeqs() async throws {
        try await Self.withMigratedStore(appID: "ws_app") { store throws in

            let workspaces = try await store.workspaces()
            #expect(workspaces.map(\.workspace) == [.first])
            #expect(workspaces.map(\.name) == [StateStore.defaultWorkspaceName])
            #expect(workspaces.map(\.appID) == ["ws_app"])
            #expect(try await store.appID() == "ws_app")
            #expect(try await store.metaValue(forKey: "workspace_id") == nil)
            for (table, rows) in Self.rows {
                #expect(
                    try await Self.count(store, "SELECT count(*) FROM \(table) WHERE workspace = 1") == rows, "\(table)"
                )
                #expect(try await Self.count(store, "SELECT count(*) FROM \(table)") == rows, "\(table)")
            }
            // Per destination, as before.
            #expect(try await Self.count(store, "SELECT count(*) FROM outbox") == 3)
            #expect(try await store.destinationStates().map(\.name) == ["gone"])
            #expect(try await store.filteredCounts() == ["hook": 7])

            let events = try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 10)
            #expect(events.map(\.id) == ["e1", "e2", "e3"])
            #expect(events.map(\.seq) == [2, 3, 4])
            #expect(events.map(\.workspaceID) == [nil, "ws_app", "ws_app"])
            #expect(try await store.lastEventSeq() == 4)
            #expect(try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 10, workspace: .first) == events)

            let topics = try await store.topicStates()
            #expect(topics.map(\.watermark) == [300, 300])
            #expect(topics.map(\.suppressedUpdates) == [0, 4])
            #expect(try await store.resumePoint(.contacts)?.reached == 320)
            #expect(try await store.snapshotCount() == 2)
            // The mark and the rows read as before: c1's superseded update, c2's seen update, c1 a lead before 100.
            let candidates = [
                SeenVersion(topic: Self.updated, itemID: "c1", version: 150),
                SeenVersion(topic: Self.updated, itemID: "c2", version: 200),
                SeenVersion(topic: Self.updated, itemID: "c2", version: 201),
            ]
            let sightings = try await store.sightings(of: candidates, roles: ["c1": 90, "c2": 150])
            #expect(sightings.seen == Set(candidates.prefix(2)))
            #expect(sightings.roles == ["c1": "lead", "c2": "user"])
            #expect(sightings.formerLeads == ["c1"])
            #expect(try await store.seenVersionCount(topic: Self.updated) == 2)
            #expect(try await store.deadLetters(destination: nil).map(\.eventID) == ["e2"])
        }
    }

    @Test func aStoreThatNeverPolledHasNoAppIDYet() async throws {
        try await Self.withMigratedStore(appID: nil) { store throws in
            #expect(try await store.appID() == nil)
            try await store.setAppID("ws_app")
            #expect(try await store.workspaces().map(\.appID) == ["ws_app"])
        }
    }

    @Test func theDaemonGoesOnOnAMigratedStore() async throws {
        try await Self.withMigratedStore(appID: "ws_app") { store throws in

            // c1 moves on: compared with its event's item, and the mark it held settles into workspace 1's rows.
            let next = try await UpdateChangesTests.commit(
                store,
                [StoreFixture.candidate(Self.updated, "c1", 400, body: #"{"type":"contact","id":"c1","name":"Bo"}"#)],
                at: 2_000)
            #expect(next.map(\.seq) == [5])
            #expect(try UpdateChangesTests.changes(next[0])?["name"] == ["previous": "Ann", "current": "Bo"])
            #expect(
                try await Self.count(
                    store, "SELECT count(*) FROM seen_version WHERE workspace = 1 AND item_id = 'c1' AND version = 150")
                    == 1)
            // The event was queued and can be delivered; the old pending one is still due.
            let due = try await store.dueOutbox(destination: "console", now: 3_000, limit: 10)
            #expect(due.map(\.event.id) == [next[0].id])
            #expect(try await store.dueOutbox(destination: "hook", now: 3_000, limit: 10).map(\.event.id) == ["e1"])
            // A reset forgets the versions from its target on and the pass's resume point.
            try await store.requestReset(topic: Self.updated, to: 150)
            #expect(try await store.applyPendingResets() == [Self.updated])
            #expect(try await store.resumePoint(.contacts) == nil)
            #expect(try await store.seenVersionCount(topic: Self.updated) == 0)
            #expect(try await store.snapshotCount() == 2)
        }
    }
}
