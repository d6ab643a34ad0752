import GRDB

extension SQLiteStore {
    /// Every workspace's topics, by topic, for the workspaces that have any: what `status` summarises, in one read
    /// rather than one per workspace.
    func topicStatesByWorkspace() async throws -> [StoreWorkspace: [TopicState]] {
        try await read("read every workspace's topics") { db in
            var states: [StoreWorkspace: [TopicState]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM topic_state ORDER BY workspace, topic")
            while let row = try rows.next() {
                states[StoreWorkspace(id: row["workspace"]), default: []].append(TopicState(row: row))
            }
            return states
        }
    }

    /// Pending and dead outbox rows per workspace (of its events; workspaces with neither are absent), in one read.
    func outboxCountsByWorkspace() async throws -> [StoreWorkspace: StateStore.WorkspaceOutboxCounts] {
        try await read("count outbox by workspace") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT event.workspace,
                        count(*) FILTER (WHERE outbox.state = 'pending') AS pending,
                        count(*) FILTER (WHERE outbox.state = 'dead') AS dead
                    FROM outbox JOIN event ON event.seq = outbox.event_seq
                    WHERE outbox.state IN ('pending', 'dead')
                    GROUP BY event.workspace
                    """
            ).reduce(into: [:]) { counts, row in
                counts[StoreWorkspace(id: row["workspace"])] = StateStore.WorkspaceOutboxCounts(
                    pending: row["pending"], dead: row["dead"])
            }
        }
    }
}
