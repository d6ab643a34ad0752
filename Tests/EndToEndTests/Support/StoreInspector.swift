import Foundation
import GRDB

@testable import IntercomTriggers

/// Reads a daemon's state database through the real ``StateStore``, opened in the admin role (no lock, so it
/// works while the daemon runs). Release it (or call ``close()``) before the test ends.
final class StoreInspector: Sendable {
    /// The store.
    let store: StateStore

    /// Opens the store at `path` as an admin.
    init(path: String) throws {
        store = try StateStore(path: path, role: .admin)
    }

    /// Closes the store.
    func close() {
        try? store.close()
    }

    /// Events in the store.
    func eventCount() async throws -> Int {
        try await scalar("SELECT COUNT(*) FROM event")
    }

    /// Outbox rows (any state) for `destination`, or for all destinations.
    func outboxCount(destination: String? = nil) async throws -> Int {
        try await scalar("SELECT COUNT(*) FROM outbox WHERE ?1 IS NULL OR destination = ?1", [destination])
    }

    /// Outbox rows delivered (any destination).
    func deliveredCount() async throws -> Int {
        try await scalar("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'")
    }

    /// Every (destination, topic, item, version) that has more than one outbox row, with its count: the
    /// crash-safety invariant says this is empty.
    func duplicateOutboxKeys() async throws -> [String] {
        try await store.read("e2e duplicate outbox keys") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.destination AS destination, event.topic AS topic, event.item_id AS item_id,
                           event.version AS version, COUNT(*) AS copies
                    FROM outbox JOIN event ON event.seq = outbox.event_seq
                    GROUP BY outbox.destination, event.topic, event.item_id, event.version
                    HAVING COUNT(*) > 1
                    """
            ).map { row in
                let destination: String = row["destination"]
                let topic: String = row["topic"]
                let itemID: String = row["item_id"]
                let version: Int = row["version"]
                let copies: Int = row["copies"]
                return "\(destination) \(topic) \(itemID) v\(version) ×\(copies)"
            }
        }
    }

    /// The ids of every stored event.
    func eventIDs() async throws -> Set<String> {
        Set(try await store.events(afterSeq: 0, topic: nil, since: nil, limit: Int.max).map(\.id))
    }

    private func scalar(_ sql: String, _ arguments: StatementArguments = []) async throws -> Int {
        try await store.read("e2e count") { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }
}
