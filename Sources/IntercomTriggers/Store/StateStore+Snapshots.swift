import GRDB

extension StateStore {
    /// Forgets the snapshots of `itemIDs` (contacts seen deleted); returns how many there were. A superseded
    /// version a snapshot stood for stays seen (trigger `item_role_settle_cover`).
    @discardableResult
    public func forgetSnapshots(of itemIDs: [String]) async throws -> Int {
        try await write("forget snapshots") { db in
            let delete = try db.cachedStatement(sql: SnapshotStatements.clearSQL + " AND item_id = ?")
            var forgotten = 0
            for id in itemIDs {
                try delete.execute(arguments: [id])
                forgotten += db.changesCount
            }
            return forgotten
        }
    }

    /// Drops every snapshot: while no update topic of contacts runs, snapshots would only go stale (and an
    /// update topic enabled later would compare with months-old versions); returns how many there were.
    @discardableResult
    public func dropSnapshots() async throws -> Int {
        try await write("drop snapshots") { db in
            try db.execute(sql: SnapshotStatements.clearSQL)
            return db.changesCount
        }
    }

    /// How many contacts have a snapshot.
    public func snapshotCount() async throws -> Int {
        try await read("count snapshots") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_role WHERE snapshot_version IS NOT NULL") ?? 0
        }
    }
}
