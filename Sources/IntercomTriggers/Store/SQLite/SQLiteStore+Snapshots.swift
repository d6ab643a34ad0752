import GRDB

extension SQLiteStore {
    /// Forgets the snapshots of `workspace`'s contacts `itemIDs` (seen deleted); returns how many there were. A
    /// superseded version a snapshot stood for stays seen (trigger `item_role_settle_cover`).
    @discardableResult
    func forgetSnapshots(of itemIDs: [String], in workspace: StoreWorkspace = .first) async throws -> Int {
        try await write("forget snapshots") { db in
            let delete = try db.cachedStatement(
                sql: SnapshotStatements.clearSQL + " AND workspace = ? AND item_id = ?")
            var forgotten = 0
            for id in itemIDs {
                try delete.execute(arguments: [workspace.id, id])
                forgotten += db.changesCount
            }
            return forgotten
        }
    }

    /// Drops every snapshot of `workspace`: while no update topic of contacts runs, snapshots would only go stale
    /// (and an update topic enabled later would compare with months-old versions); returns how many there were.
    @discardableResult
    func dropSnapshots(in workspace: StoreWorkspace = .first) async throws -> Int {
        try await write("drop snapshots") { db in
            try db.execute(sql: SnapshotStatements.clearSQL + " AND workspace = ?", arguments: [workspace.id])
            return db.changesCount
        }
    }

    /// How many contacts of `workspace` have a snapshot.
    func snapshotCount(in workspace: StoreWorkspace = .first) async throws -> Int {
        try await read("count snapshots") { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM item_role WHERE workspace = ? AND snapshot_version IS NOT NULL",
                arguments: [workspace.id]) ?? 0
        }
    }
}
