import PostgresNIO

extension PostgresStore {
    /// Clears snapshots (what they stood for stays seen: trigger `item_role_settle_cover`); callers add `AND …`.
    static let clearSnapshotsSQL = """
        UPDATE item_role SET snapshot_version = NULL, snapshot_item = NULL, snapshot_event_seq = NULL,
            covers_topic = NULL, covers_version = NULL
        WHERE snapshot_version IS NOT NULL
        """

    func forgetSnapshots(of itemIDs: [String], in workspace: StoreWorkspace) async throws -> Int {
        guard !itemIDs.isEmpty else { return 0 }
        return try await write("forget snapshots") { [logger] connection in
            try await connection.one(
                """
                WITH gone AS (
                    \(unescaped: Self.clearSnapshotsSQL)
                        AND workspace = \(workspace.id) AND item_id = ANY(\(itemIDs)::text[])
                    RETURNING 1)
                SELECT count(*) FROM gone
                """, Int.self, logger) ?? 0
        }
    }

    func dropSnapshots(in workspace: StoreWorkspace) async throws -> Int {
        try await write("drop snapshots") { [logger] connection in
            try await connection.one(
                """
                WITH gone AS (\(unescaped: Self.clearSnapshotsSQL) AND workspace = \(workspace.id) RETURNING 1)
                SELECT count(*) FROM gone
                """, Int.self, logger) ?? 0
        }
    }

    func snapshotCount(in workspace: StoreWorkspace) async throws -> Int {
        try await read("count snapshots") { [logger] connection in
            try await connection.one(
                """
                SELECT count(*) FROM item_role WHERE workspace = \(workspace.id) AND snapshot_version IS NOT NULL
                """, Int.self, logger) ?? 0
        }
    }
}
