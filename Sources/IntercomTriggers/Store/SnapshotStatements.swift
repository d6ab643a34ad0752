import Foundation
import GRDB

/// The last version of each contact an event carried (`item_snapshot`), kept inside a page's transaction:
/// an update is compared with it (its ``ItemChanges``), then it becomes the snapshot.
///
/// A snapshot points at the event row that carries the same item (`event_seq`), so detecting a change costs
/// one small row and no copy of the item; when retention prunes that event, the item moves into the snapshot
/// deflated (``StateStore/pruneEvents(before:)``, ``SnapshotCodec``).
struct SnapshotStatements {
    private let read: Statement
    private let eventItem: Statement
    private let write: Statement
    private let codec = SnapshotCodec()

    init(_ db: Database) throws {
        read = try db.cachedStatement(sql: "SELECT version, item, event_seq FROM item_snapshot WHERE item_id = ?")
        eventItem = try db.cachedStatement(sql: "SELECT item FROM event WHERE seq = ?")
        // Never back to an older version: a created event (its version is `created_at`) after an update, or a
        // re-read after a reset, leaves the newer snapshot.
        write = try db.cachedStatement(
            sql: """
                INSERT INTO item_snapshot (item_id, version, item, event_seq) VALUES (?, ?, X'', ?)
                ON CONFLICT (item_id) DO UPDATE SET
                    version = excluded.version, item = excluded.item, event_seq = excluded.event_seq
                WHERE excluded.version >= item_snapshot.version
                """)
    }

    /// How `candidate` compares with its contact's snapshot (``SnapshotComparison``), leaving out the attributes
    /// at or under `ignoring`: only updates are compared. `updated_at` is never a change: it moves with every
    /// update, it is the version itself.
    func compare(_ candidate: NewEvent, ignoring: Set<String>) throws -> SnapshotComparison {
        guard TopicCatalog.changeTopics.contains(candidate.topic),
            let row = try Row.fetchOne(read, arguments: [candidate.itemID])
        else { return .unavailable }
        let version: Int = row[0]
        guard version <= candidate.version, let previous = try item(stored: row[1], eventSeq: row[2]),
            previous != candidate.item,
            let changes = try? ItemChanges(
                previous: previous, current: candidate.item, ignoring: ignoring.union(["updated_at"]))
        else { return .unavailable }
        return changes.isEmpty ? .noise : .changes(changes.json)
    }

    /// Makes the event `seq` (carrying `candidate`'s item) its contact's snapshot. A suppressed update is not
    /// remembered: it differs from the snapshot only where no comparison looks.
    func remember(_ candidate: NewEvent, seq: Int64) throws {
        guard candidate.topic.hasPrefix("contact.") else { return }
        try write.execute(arguments: [candidate.itemID, candidate.version, seq])
    }

    /// The snapshot's item: its event's, or the deflated copy once that event was pruned.
    private func item(stored: Data?, eventSeq: Int64?) throws -> Data? {
        if let eventSeq {
            return try Data.fetchOne(eventItem, arguments: [eventSeq])
        }
        return stored.flatMap(codec.decode)
    }
}
