import PostgresNIO

extension PostgresStore {
    func topicStatesByWorkspace() async throws -> [StoreWorkspace: [TopicState]] {
        try await read("read every workspace's topics") { [logger] connection in
            var states: [StoreWorkspace: [TopicState]] = [:]
            for try await row in try await connection.query(
                "SELECT workspace, \(unescaped: Self.topicColumns) FROM topic_state ORDER BY workspace, topic",
                logger: logger)
            {
                let (
                    workspace, topic, watermark, start, lastPoll, result, error, reset, pruned, skipped, future,
                    passStart, suppressed
                ) = try row.decode(
                    (Int64, String, Int, Int, Int?, String?, String?, Int?, Int?, Int, Int, Int?, Int).self)
                states[StoreWorkspace(id: workspace), default: []].append(
                    Self.topicState(
                        (
                            topic, watermark, start, lastPoll, result, error, reset, pruned, skipped, future, passStart,
                            suppressed
                        )))
            }
            return states
        }
    }

    func outboxCountsByWorkspace() async throws -> [StoreWorkspace: StateStore.WorkspaceOutboxCounts] {
        try await read("count outbox by workspace") { [logger] connection in
            try await connection.all(
                """
                SELECT event.workspace,
                    count(*) FILTER (WHERE outbox.state = 'pending'),
                    count(*) FILTER (WHERE outbox.state = 'dead')
                FROM outbox JOIN event ON event.seq = outbox.event_seq
                WHERE outbox.state IN ('pending', 'dead')
                GROUP BY event.workspace
                """, (Int64, Int, Int).self, logger
            ).reduce(into: [:]) { counts, row in
                counts[StoreWorkspace(id: row.0)] = StateStore.WorkspaceOutboxCounts(pending: row.1, dead: row.2)
            }
        }
    }
}
