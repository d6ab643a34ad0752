import Foundation
import GRDB
import Testing

@testable import IntercomTriggers

/// Migration v11 (#15): every outbox row takes its event's workspace, the pending index is per workspace, and event
/// ids and seqs stay as they were.
@Suite struct StoreMigrationV11Tests {
    /// A store of schema v10 with two workspaces: `default` (1) and `b` (2), two events each, and outbox rows in
    /// every state for both.
    static func v10Store(_ files: StoreFixture) async throws {
        let queue = try files.openSchema(upTo: "v10")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO workspace (id, name, app_id) VALUES (2, 'b', 'app_b');
                    INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id, workspace) VALUES
                        ('a1', 'contact.user.created', 'c1', 100, 1000, '{"id":"c1"}', 'app_a', 1),
                        ('b1', 'contact.user.created', 'c1', 100, 1000, '{"id":"c1"}', 'app_b', 2),
                        ('a2', 'contact.user.created', 'c2', 100, 1001, '{"id":"c2"}', 'app_a', 1),
                        ('b2', 'contact.user.created', 'c2', 100, 1001, '{"id":"c2"}', 'app_b', 2);
                    INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at) VALUES
                        ('hook', 1, 'pending', 0, 0), ('hook', 2, 'pending', 0, 0), ('hook', 3, 'pending', 2, 0),
                        ('hook', 4, 'dead', 5, 0), ('console', 2, 'delivered', 1, 0), ('console', 3, 'pending', 0, 0);
                    """)
        }
        try queue.close()
    }

    @Test func outboxRowsTakeTheirEventsWorkspace() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await Self.v10Store(files)
        let store = try files.open()
        defer { try? store.close() }

        let rows = try await store.read("test") { db in
            try Row.fetchAll(
                db, sql: "SELECT destination, event_seq, workspace FROM outbox ORDER BY destination, event_seq"
            ).map { "\($0["destination"] as String)/\($0["event_seq"] as Int64)/\($0["workspace"] as Int64)" }
        }
        #expect(rows == ["console/2/2", "console/3/1", "hook/1/1", "hook/2/2", "hook/3/1", "hook/4/2"])
        let columns = try await store.read("test") { db in
            try Row.fetchAll(db, sql: "PRAGMA index_info('outbox_pending')").map { $0["name"] as String }
        }
        #expect(columns == ["destination", "workspace", "event_seq", "next_attempt_at"])

        let events = try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 10)
        #expect(events.map(\.id) == ["a1", "b1", "a2", "b2"])
        #expect(events.map(\.seq) == [1, 2, 3, 4])
        // The lane serves both round-robin; the dead letter and the delivered row stay as they were.
        let due = try await store.dueOutbox(destination: "hook", now: 2_000, limit: 10)
        #expect(due.map(\.event.id) == ["a1", "b1", "a2"])
        #expect(due.map(\.workspace.id) == [1, 2, 1])
        #expect(due.map(\.attempts) == [0, 0, 2])
        #expect(try await store.deadLetters(destination: "hook").map(\.eventID) == ["b2"])
        #expect(try await store.dueOutbox(destination: "console", now: 2_000, limit: 10).map(\.event.id) == ["a2"])
        #expect(try await store.replay(destination: "hook", eventID: nil, since: nil, allFailed: true) == 1)
        #expect(
            try await store.dueOutbox(destination: "hook", now: 2_000, limit: 10).map(\.event.id) == [
                "a1", "b1", "a2", "b2",
            ])
    }
}
