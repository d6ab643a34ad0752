import PostgresNIO

extension PostgresStore {
    /// The `topic_state` columns ``topicState(_:)`` decodes.
    static let topicColumns = """
        topic, watermark, start_at, last_poll_at, last_result, last_error, reset_requested_to, pruned_below,
        skipped_items, future_dated_items, last_pass_start, suppressed_updates
        """
    typealias TopicRow = (String, Int, Int, Int?, String?, String?, Int?, Int?, Int, Int, Int?, Int)

    static func topicState(_ row: TopicRow) -> TopicState {
        TopicState(
            topic: row.0, watermark: row.1, startAt: row.2, lastPollAt: row.3, lastResult: row.4, lastError: row.5,
            resetRequestedTo: row.6, prunedBelow: row.7, skippedItems: row.8, futureDatedItems: row.9,
            lastPassStart: row.10, suppressedUpdates: row.11)
    }

    func ensureTopics(_ starts: [String: Int], in workspace: StoreWorkspace) async throws {
        guard !starts.isEmpty else { return }
        let topics = starts.keys.sorted()
        let values = topics.map { starts[$0] ?? 0 }
        try await write("ensure topics") { [logger] connection in
            try await connection.run(
                """
                INSERT INTO topic_state (workspace, topic, watermark, start_at)
                SELECT \(workspace.id), topic, start, start FROM unnest(\(topics)::text[], \(values)::bigint[])
                    AS given (topic, start)
                ON CONFLICT (workspace, topic) DO NOTHING
                """, logger: logger)
        }
    }

    func topicStates(in workspace: StoreWorkspace) async throws -> [TopicState] {
        try await read("read topic states") { [logger] connection in
            try await Self.topicStates(in: workspace, connection, logger)
        }
    }

    static func topicStates(in workspace: StoreWorkspace, _ connection: PostgresConnection, _ logger: Logger)
        async throws -> [TopicState]
    {
        try await connection.all(
            "SELECT \(unescaped: topicColumns) FROM topic_state WHERE workspace = \(workspace.id) ORDER BY topic",
            TopicRow.self, logger
        ).map(topicState)
    }

    static func resumePoint(
        _ resource: Resource, in workspace: StoreWorkspace, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> ResumePoint? {
        guard
            let row = try await connection.one(
                """
                SELECT field, pass_start, bound, newest, reached FROM pass_resume
                WHERE workspace = \(workspace.id) AND resource = \(resource.rawValue)
                """, (String, Int, Int, Int?, Int).self, logger),
            let field = VersionField(rawValue: row.0)
        else { return nil }
        return ResumePoint(
            resource: resource, field: field, passStart: row.1, bound: row.2, newest: row.3, reached: row.4)
    }

    func requestReset(topic: String?, to target: Int, in workspace: StoreWorkspace?) async throws -> [String] {
        try await write("request reset") { [logger] connection in
            try await Self.requestReset(topic: topic, to: target, in: workspace, connection, logger)
        }
    }

    func requestReset(topic: String?, to target: Int, inEach workspaces: [StoreWorkspace]) async throws -> [String] {
        try await write("request reset") { [logger] connection in
            var topics: Set<String> = []
            for workspace in workspaces {
                topics.formUnion(
                    try await Self.requestReset(topic: topic, to: target, in: workspace, connection, logger))
            }
            return topics.sorted()
        }
    }

    private static func requestReset(
        topic: String?, to target: Int, in workspace: StoreWorkspace?, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> [String] {
        let only = workspace?.id
        if let topic {
            try await connection.run(
                """
                INSERT INTO topic_state (workspace, topic, watermark, start_at, reset_requested_to)
                SELECT id, \(topic), \(target), \(target), \(target) FROM workspace
                WHERE \(only)::bigint IS NULL OR id = \(only)
                ON CONFLICT (workspace, topic) DO UPDATE SET reset_requested_to = excluded.reset_requested_to
                """, logger: logger)
            return [topic]
        }
        try await connection.run(
            """
            UPDATE topic_state SET reset_requested_to = \(target) WHERE \(only)::bigint IS NULL OR workspace = \(only)
            """, logger: logger)
        return try await connection.all(
            """
            SELECT DISTINCT topic FROM topic_state WHERE \(only)::bigint IS NULL OR workspace = \(only) ORDER BY topic
            """, String.self, logger)
    }

    func workspacesWithPendingResets() async throws -> Set<StoreWorkspace> {
        try await read("read resets") { [logger] connection in
            Set(
                try await connection.all(
                    "SELECT DISTINCT workspace FROM topic_state WHERE reset_requested_to IS NOT NULL", Int64.self,
                    logger
                ).map(StoreWorkspace.init(id:)))
        }
    }

    func applyPendingResets(in workspace: StoreWorkspace?) async throws -> [String] {
        let only = workspace?.id
        // Read first: a cycle with no reset asked for writes nothing.
        let asked = try await read("read resets") { [logger] connection in
            try await connection.one(
                """
                SELECT EXISTS (SELECT 1 FROM topic_state
                    WHERE (\(only)::bigint IS NULL OR workspace = \(only)) AND reset_requested_to IS NOT NULL)
                """, Bool.self, logger)
        }
        guard asked == true else { return [] }
        return try await write("apply resets") { [logger] connection in
            let pending = try await connection.all(
                """
                SELECT workspace, topic, reset_requested_to FROM topic_state
                WHERE (\(only)::bigint IS NULL OR workspace = \(only)) AND reset_requested_to IS NOT NULL
                ORDER BY topic, workspace
                FOR UPDATE
                """, (Int64, String, Int).self, logger)
            for (workspace, topic, target) in pending {
                // Marks first: clearing one settles it into seen_version (a trigger), where the delete finds it.
                try await connection.run(
                    """
                    UPDATE item_role SET covers_topic = NULL, covers_version = NULL
                    WHERE workspace = \(workspace) AND covers_topic = \(topic) AND covers_version >= \(target)
                    """, logger: logger)
                try await connection.run(
                    """
                    DELETE FROM seen_version WHERE workspace = \(workspace) AND topic = \(topic) AND version >= \(target)
                    """, logger: logger)
                try await connection.run(
                    """
                    UPDATE topic_state SET watermark = \(target), start_at = \(target), reset_requested_to = NULL,
                        pruned_below = CASE WHEN pruned_below IS NULL THEN NULL ELSE least(pruned_below, \(target)) END
                    WHERE workspace = \(workspace) AND topic = \(topic)
                    """, logger: logger)
                // An unfinished pass's resume point is about the old watermarks: the next pass starts afresh.
                try await connection.run("DELETE FROM pass_resume WHERE workspace = \(workspace)", logger: logger)
            }
            var topics: [String] = []
            for row in pending where topics.last != row.1 { topics.append(row.1) }
            return topics
        }
    }

    func recordPoll(
        topics: [String], at time: Int, result: String, error: String?, skipped: Int, futureDated: Int,
        in workspace: StoreWorkspace
    ) async throws {
        guard !topics.isEmpty else { return }
        try await write("record poll") { [logger] connection in
            try await connection.run(
                """
                UPDATE topic_state SET last_poll_at = \(time), last_result = \(result), last_error = \(error)::text,
                    skipped_items = skipped_items + \(skipped), future_dated_items = future_dated_items + \(futureDated)
                WHERE workspace = \(workspace.id) AND topic = ANY(\(topics)::text[])
                """, logger: logger)
        }
    }

    func recordPolls(_ records: [PollRecord]) async throws {
        guard !records.isEmpty else { return }
        var workspaces: [Int64] = []
        var topics: [String] = []
        var times: [Int] = []
        var results: [String] = []
        for record in records {
            for topic in record.topics {
                workspaces.append(record.workspace.id)
                topics.append(topic)
                times.append(record.at)
                results.append(record.result)
            }
        }
        let (workspaceIDs, topicNames, pollTimes, pollResults) = (workspaces, topics, times, results)
        try await write("record idle polls") { [logger] connection in
            try await connection.run(
                """
                UPDATE topic_state SET last_poll_at = given.at, last_result = given.result, last_error = NULL
                FROM unnest(
                    \(workspaceIDs)::bigint[], \(topicNames)::text[], \(pollTimes)::bigint[], \(pollResults)::text[])
                    AS given (workspace, topic, at, result)
                WHERE topic_state.workspace = given.workspace AND topic_state.topic = given.topic
                    AND (topic_state.last_poll_at IS NULL OR topic_state.last_poll_at <= given.at)
                """, logger: logger)
        }
    }

    func pruneSeenVersions(olderThan horizons: [String: Int], in workspace: StoreWorkspace) async throws -> Int {
        try await write("prune seen versions") { [logger] connection in
            var removed = 0
            for (topic, horizon) in horizons.sorted(by: { $0.key < $1.key }) {
                removed +=
                    try await connection.one(
                        """
                        WITH gone AS (
                            DELETE FROM seen_version
                            WHERE workspace = \(workspace.id) AND topic = \(topic) AND version < \(horizon)
                            RETURNING 1)
                        SELECT count(*) FROM gone
                        """, Int.self, logger) ?? 0
                try await connection.run(
                    """
                    UPDATE topic_state SET pruned_below = greatest(coalesce(pruned_below, \(horizon)), \(horizon))
                    WHERE workspace = \(workspace.id) AND topic = \(topic)
                    """, logger: logger)
            }
            return removed
        }
    }

    func passState(_ resource: Resource, in workspace: StoreWorkspace) async throws -> PassState {
        try await read("read pass state") { [logger] connection in
            try await Self.passState(resource, in: workspace, connection, logger)
        }
    }

    static func passState(
        _ resource: Resource, in workspace: StoreWorkspace, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> PassState {
        PassState(
            topics: try await topicStates(in: workspace, connection, logger),
            resume: try await resumePoint(resource, in: workspace, connection, logger))
    }

    func resumePoint(_ resource: Resource, in workspace: StoreWorkspace) async throws -> ResumePoint? {
        try await read("read resume point") { [logger] connection in
            try await Self.resumePoint(resource, in: workspace, connection, logger)
        }
    }

    func seenVersionCount(topic: String, in workspace: StoreWorkspace) async throws -> Int {
        try await read("count seen versions") { [logger] connection in
            try await connection.one(
                """
                SELECT (SELECT count(*) FROM seen_version WHERE workspace = \(workspace.id) AND topic = \(topic))
                    + (SELECT count(*) FROM item_role
                        WHERE workspace = \(workspace.id) AND covers_topic = \(topic) AND covers_version >= coalesce(
                            (SELECT pruned_below FROM topic_state WHERE workspace = \(workspace.id) AND topic = \(topic)),
                            covers_version))
                """, Int.self, logger) ?? 0
        }
    }
}
