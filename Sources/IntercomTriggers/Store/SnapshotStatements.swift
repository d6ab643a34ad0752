import Foundation
import GRDB

/// The last version of each contact an event carried (`item_snapshot`), kept inside a page's transaction:
/// an update is compared with it (its ``ItemChanges``), then it becomes the snapshot.
struct SnapshotStatements {
    private let read: Statement
    private let write: Statement

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

    /// Records `candidate`'s item as its contact's snapshot and returns, for an update, what changed since the
    /// snapshot before it: `nil` when there was none, when it is newer than this version, when it holds the
    /// same bytes (the same sighting, e.g. a created and an updated event of one page), or when either item
    /// cannot be compared.
    func record(_ candidate: NewEvent) throws -> Data? {
        guard candidate.topic.hasPrefix("contact.") else { return nil }
        var changes: Data?
        if TopicCatalog.changeTopics.contains(candidate.topic),
            let row = try Row.fetchOne(read, arguments: [candidate.itemID])
        {
            let version: Int = row[0]
            let previous: Data = row[1]
            if version <= candidate.version, previous != candidate.item {
                // `updated_at` moves with every update: it is the version itself, not a change to report.
                changes = try? ItemChanges(previous: previous, current: candidate.item, ignoring: ["updated_at"]).json
            }
        }
        try write.execute(arguments: [candidate.itemID, candidate.version, candidate.item])
        return changes
    }
}
