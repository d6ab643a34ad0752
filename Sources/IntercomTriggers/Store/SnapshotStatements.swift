import Foundation
import GRDB

/// The last version of each contact an event carried (`item_snapshot`), kept inside a page's transaction:
/// an update is compared with it (its ``ItemChanges``), then it becomes the snapshot.
struct SnapshotStatements {
    private let read: Statement
    private let write: Statement
    private let codec = SnapshotCodec()

    init(_ db: Database) throws {
        read = try db.cachedStatement(sql: "SELECT version, item FROM item_snapshot WHERE item_id = ?")
        // Never back to an older version: a created event (its version is `created_at`) after an update, or a
        // re-read after a reset, leaves the newer snapshot.
        write = try db.cachedStatement(
            sql: """
                INSERT INTO item_snapshot (item_id, version, item) VALUES (?, ?, ?)
                ON CONFLICT (item_id) DO UPDATE SET version = excluded.version, item = excluded.item
                WHERE excluded.version >= item_snapshot.version
                """)
    }

    /// Records `candidate`'s item as its contact's snapshot and returns, for an update, how it compares with the
    /// snapshot before it (``SnapshotComparison``), leaving out the attributes at or under `ignoring`.
    /// `updated_at` is never a change: it moves with every update, it is the version itself.
    func record(_ candidate: NewEvent, ignoring: Set<String>) throws -> SnapshotComparison {
        guard candidate.topic.hasPrefix("contact.") else { return .unavailable }
        var comparison = SnapshotComparison.unavailable
        if TopicCatalog.changeTopics.contains(candidate.topic),
            let row = try Row.fetchOne(read, arguments: [candidate.itemID])
        {
            let version: Int = row[0]
            if version <= candidate.version, let previous = codec.decode(row[1]), previous != candidate.item,
                let changes = try? ItemChanges(
                    previous: previous, current: candidate.item, ignoring: ignoring.union(["updated_at"]))
            {
                comparison = changes.isEmpty ? .noise : .changes(changes.json)
            }
        }
        try write.execute(arguments: [candidate.itemID, candidate.version, codec.encode(candidate.item)])
        return comparison
    }
}
