import Foundation
import GRDB

/// The last version of each contact an event carried (its snapshot, in the contact's `item_role` row), kept inside
/// a page's transaction: an update is compared with it (its ``ItemChanges``), then it becomes the snapshot.
///
/// A snapshot points at the event row that carries the same item (`snapshot_event_seq`), so detecting a change
/// costs a few columns of a row the page writes anyway and no copy of the item; when retention prunes that event,
/// the item moves into the snapshot deflated (``StateStore/pruneEvents(before:)``, ``SnapshotCodec``).
struct SnapshotStatements {
    private let read: Statement
    private let eventItem: Statement
    private let write: Statement
    private let cover: Statement
    private let codec = SnapshotCodec()
    private let db: Database
    private let workspace: Int64

    /// Prepares the statements for `workspace`'s contacts; the page's roles must be written before
    /// ``remember(_:seq:covering:)`` runs.
    init(_ db: Database, workspace: StoreWorkspace) throws {
        self.db = db
        self.workspace = workspace.id
        read = try db.cachedStatement(
            sql: """
                SELECT snapshot_version, snapshot_item, snapshot_event_seq FROM item_role
                WHERE workspace = ? AND item_id = ? AND snapshot_version IS NOT NULL
                """)
        eventItem = try db.cachedStatement(sql: "SELECT item FROM event WHERE seq = ?")
        // Never back to an older version: a created event (its version is `created_at`) after an update, or a
        // re-read after a reset, leaves the newer snapshot. A mark it replaces stays seen (trigger
        // `item_role_settle_cover`).
        write = try db.cachedStatement(
            sql: """
                UPDATE item_role SET snapshot_version = ?2, snapshot_item = NULL, snapshot_event_seq = ?3,
                    covers_topic = ?4, covers_version = ?5
                WHERE workspace = ?6 AND item_id = ?1 AND coalesce(snapshot_version <= ?2, TRUE)
                """)
        cover = try db.cachedStatement(
            sql: """
                UPDATE item_role SET covers_topic = ?, covers_version = ?
                WHERE workspace = ? AND item_id = ? AND snapshot_version IS NOT NULL AND covers_topic IS NULL
                """)
    }

    /// Clears snapshots (what they stood for stays seen: trigger `item_role_settle_cover`); callers add
    /// `AND …` to choose rows (``StateStore`` methods choose a workspace's).
    static let clearSQL = """
        UPDATE item_role SET snapshot_version = NULL, snapshot_item = NULL, snapshot_event_seq = NULL,
            covers_topic = NULL, covers_version = NULL
        WHERE snapshot_version IS NOT NULL
        """

    /// How `candidate` compares with its contact's snapshot (``SnapshotComparison``), leaving out the attributes
    /// at or under `ignoring`: only updates are compared. `updated_at` is never a change: it moves with every
    /// update, it is the version itself.
    func compare(_ candidate: NewEvent, ignoring: Set<String>) throws -> SnapshotComparison {
        guard TopicCatalog.changeTopics.contains(candidate.topic),
            let row = try Row.fetchOne(read, arguments: [workspace, candidate.itemID])
        else { return .unavailable }
        let version: Int = row[0]
        guard version <= candidate.version else { return .unavailable }
        return SnapshotComparison(candidate, previous: try item(stored: row[1], eventSeq: row[2]), ignoring: ignoring)
    }

    /// Makes the event `seq` (carrying `candidate`'s item) its contact's snapshot, standing also for `covering`:
    /// an update version of the same sighting that `candidate` superseded. Returns whether the snapshot now
    /// stands for it (else the caller records it in `seen_version`). A suppressed update is not remembered: it
    /// differs from the snapshot only where no comparison looks.
    func remember(_ candidate: NewEvent, seq: Int64, covering: SeenVersion?) throws -> Bool {
        guard candidate.topic.hasPrefix("contact.") else { return false }
        try write.execute(arguments: [
            candidate.itemID, candidate.version, seq, covering?.topic, covering?.version, workspace,
        ])
        return covering != nil && db.changesCount > 0
    }

    /// Lets the contact's snapshot stand for `seen`, an update version a created event superseded, when it
    /// stands for none yet; false when it did not (the caller records it in `seen_version`).
    func cover(_ seen: SeenVersion) throws -> Bool {
        guard TopicCatalog.changeTopics.contains(seen.topic) else { return false }
        try cover.execute(arguments: [seen.topic, seen.version, workspace, seen.itemID])
        return db.changesCount > 0
    }

    /// The snapshot's item: its event's, or the deflated copy once that event was pruned.
    private func item(stored: Data?, eventSeq: Int64?) throws -> Data? {
        if let eventSeq {
            return try Data.fetchOne(eventItem, arguments: [eventSeq])
        }
        return stored.flatMap(codec.decode)
    }
}
