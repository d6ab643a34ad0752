import GRDB

extension SQLiteStore {
    /// Inserts `workspace`'s topics that are missing, with `watermark = start_at = start`.
    ///
    /// Existing topics are never moved: a restart or a changed `start` in the configuration must not
    /// re-fire or skip anything. Only ``requestReset(topic:to:in:)`` moves a topic.
    func ensureTopics(_ starts: [String: Int], in workspace: StoreWorkspace = .first) async throws {
        try await write("ensure topics") { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO topic_state (workspace, topic, watermark, start_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (workspace, topic) DO NOTHING
                    """)
            for (topic, start) in starts {
                try insert.execute(arguments: [workspace.id, topic, start, start])
            }
        }
    }

    /// Every known topic of `workspace`, by name.
    func topicStates(in workspace: StoreWorkspace = .first) async throws -> [TopicState] {
        try await read("read topic states") { db in try Self.topicStates(in: workspace, db) }
    }

    static func topicStates(in workspace: StoreWorkspace, _ db: Database) throws -> [TopicState] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM topic_state WHERE workspace = ? ORDER BY topic"),
            arguments: [workspace.id]
        ).map(TopicState.init(row:))
    }

    static func resumePoint(_ resource: Resource, in workspace: StoreWorkspace, _ db: Database) throws -> ResumePoint? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM pass_resume WHERE workspace = ? AND resource = ?"),
            arguments: [workspace.id, resource.rawValue]
        ).flatMap(ResumePoint.init(row:))
    }

    /// Asks the daemon to rewind (or advance) `topic` — every known topic when `nil` — of `workspace` — every
    /// workspace when `nil` — to `to` at its next cycle (see ``applyPendingResets(in:)``). A named topic a
    /// workspace does not know yet is created there (in every workspace, when `workspace` is `nil`).
    ///
    /// - Returns: the topics the request was recorded for, by name (each once).
    @discardableResult
    func requestReset(topic: String?, to target: Int, in workspace: StoreWorkspace? = nil) async throws
        -> [String]
    {
        try await write("request reset") { db in try Self.requestReset(topic: topic, to: target, in: workspace, db) }
    }

    /// ``requestReset(topic:to:in:)`` for each of `workspaces`, in one transaction (`reset --all-workspaces`:
    /// a named topic is created in these workspaces only, not in every row of the store).
    ///
    /// - Returns: the topics the request was recorded for, by name (each once).
    @discardableResult
    func requestReset(topic: String?, to target: Int, inEach workspaces: [StoreWorkspace]) async throws
        -> [String]
    {
        try await write("request reset") { db in
            var topics: Set<String> = []
            for workspace in workspaces {
                topics.formUnion(try Self.requestReset(topic: topic, to: target, in: workspace, db))
            }
            return topics.sorted()
        }
    }

    private static func requestReset(topic: String?, to target: Int, in workspace: StoreWorkspace?, _ db: Database)
        throws -> [String]
    {
        if let topic {
            try db.execute(
                sql: """
                    INSERT INTO topic_state (workspace, topic, watermark, start_at, reset_requested_to)
                    SELECT id, ?2, ?3, ?3, ?3 FROM workspace WHERE ?1 IS NULL OR id = ?1
                    ON CONFLICT (workspace, topic) DO UPDATE SET reset_requested_to = excluded.reset_requested_to
                    """,
                arguments: [workspace?.id, topic, target])
            return [topic]
        }
        try db.execute(
            sql: "UPDATE topic_state SET reset_requested_to = ?2 WHERE ?1 IS NULL OR workspace = ?1",
            arguments: [workspace?.id, target])
        return try String.fetchAll(
            db, sql: "SELECT DISTINCT topic FROM topic_state WHERE ?1 IS NULL OR workspace = ?1 ORDER BY topic",
            arguments: [workspace?.id])
    }

    /// The workspaces with a reset asked for and not applied yet (one read for all: ``ResetWatch``).
    func workspacesWithPendingResets() async throws -> Set<StoreWorkspace> {
        try await read("read resets") { db in
            Set(
                try Int64.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT DISTINCT workspace FROM topic_state WHERE reset_requested_to IS NOT NULL")
                ).map(StoreWorkspace.init(id:)))
        }
    }

    /// Applies the resets admins asked for: the watermark and start point become the target, and the seen
    /// versions at or after it are forgotten, so those versions are detected and delivered again under
    /// the same event ids. A poll loop calls this for its `workspace` (`nil`: every workspace's) at its first cycle
    /// and at the first cycle after ``workspacesWithPendingResets()`` listed it (``ResetWatch``).
    ///
    /// - Returns: the topics that were reset, by name (each once).
    @discardableResult
    func applyPendingResets(in workspace: StoreWorkspace? = .first) async throws -> [String] {
        let only = workspace?.id
        // Read first: a cycle with no reset asked for writes nothing.
        let asked = try await read("read resets") { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM topic_state
                            WHERE (?1 IS NULL OR workspace = ?1) AND reset_requested_to IS NOT NULL)
                        """), arguments: [only])
        }
        guard asked == true else { return [] }
        return try await write("apply resets") { db in
            let pending = try Row.fetchAll(
                db,
                sql: """
                    SELECT workspace, topic, reset_requested_to FROM topic_state
                    WHERE (?1 IS NULL OR workspace = ?1) AND reset_requested_to IS NOT NULL
                    ORDER BY topic, workspace
                    """, arguments: [only])
            for row in pending {
                let workspace: Int64 = row["workspace"]
                let topic: String = row["topic"]
                let target: Int = row["reset_requested_to"]
                // Marks first: clearing one settles it into seen_version (a trigger), where the delete finds it.
                try db.execute(
                    sql: """
                        UPDATE item_role SET covers_topic = NULL, covers_version = NULL
                        WHERE workspace = ? AND covers_topic = ? AND covers_version >= ?
                        """,
                    arguments: [workspace, topic, target])
                try db.execute(
                    sql: "DELETE FROM seen_version WHERE workspace = ? AND topic = ? AND version >= ?",
                    arguments: [workspace, topic, target])
                try db.execute(
                    sql: """
                        UPDATE topic_state SET watermark = ?1, start_at = ?1, reset_requested_to = NULL,
                            pruned_below = min(pruned_below, ?1)
                        WHERE workspace = ?3 AND topic = ?2
                        """,
                    arguments: [target, topic, workspace])
                // An unfinished pass's resume point is about the old watermarks: the next pass starts afresh.
                try db.execute(sql: "DELETE FROM pass_resume WHERE workspace = ?", arguments: [workspace])
            }
            var topics: [String] = []
            for row in pending where topics.last != row["topic"] { topics.append(row["topic"]) }
            return topics
        }
    }

    /// Records the outcome of a poll of `workspace`'s `topics` for `status`, adding `skipped` unreadable and `futureDated`
    /// future-dated items to their counts.
    func recordPoll(
        topics: [String], at time: Int, result: String, error: String?, skipped: Int = 0, futureDated: Int = 0,
        in workspace: StoreWorkspace = .first
    ) async throws {
        try await write("record poll") { db in
            let update = try db.cachedStatement(
                sql: """
                    UPDATE topic_state SET last_poll_at = ?, last_result = ?, last_error = ?,
                        skipped_items = skipped_items + ?, future_dated_items = future_dated_items + ?
                    WHERE workspace = ? AND topic = ?
                    """)
            for topic in topics {
                try update.execute(arguments: [time, result, error, skipped, futureDated, workspace.id, topic])
            }
        }
    }

    /// Records many workspaces' idle polls in one transaction: each topic's last poll and result, without an error.
    /// A record older than what a topic holds (an error written since) changes nothing.
    func recordPolls(_ records: [PollRecord]) async throws {
        guard !records.isEmpty else { return }
        try await write("record idle polls") { db in
            let update = try db.cachedStatement(
                sql: """
                    UPDATE topic_state SET last_poll_at = ?1, last_result = ?2, last_error = NULL
                    WHERE workspace = ?3 AND topic = ?4 AND (last_poll_at IS NULL OR last_poll_at <= ?1)
                    """)
            for record in records {
                for topic in record.topics {
                    try update.execute(arguments: [record.at, record.result, record.workspace.id, topic])
                }
            }
        }
    }

    /// Forgets `workspace`'s seen versions older than each topic's horizon (`version < horizon`); returns how many.
    ///
    /// Only versions the poller will not fire again (older than its horizon) may go; each topic's
    /// ``TopicState/prunedBelow`` records the highest horizon pruned so far (kept across restarts).
    func pruneSeenVersions(olderThan horizons: [String: Int], in workspace: StoreWorkspace = .first)
        async throws -> Int
    {
        try await write("prune seen versions") { db in
            var removed = 0
            for (topic, horizon) in horizons {
                try db.execute(
                    sql: "DELETE FROM seen_version WHERE workspace = ? AND topic = ? AND version < ?",
                    arguments: [workspace.id, topic, horizon])
                removed += db.changesCount
                try db.execute(
                    sql: """
                        UPDATE topic_state SET pruned_below = max(coalesce(pruned_below, ?1), ?1)
                        WHERE workspace = ?3 AND topic = ?2
                        """,
                    arguments: [horizon, topic, workspace.id])
            }
            return removed
        }
    }

    /// Every known topic of `workspace` and its `resource`'s resume point, in one read: what a pass needs before
    /// its first request.
    func passState(_ resource: Resource, in workspace: StoreWorkspace = .first) async throws -> PassState {
        try await read("read pass state") { db in try Self.passState(resource, in: workspace, db) }
    }

    /// ``passState(_:in:)`` inside a transaction (a commit hands back the state it left).
    static func passState(_ resource: Resource, in workspace: StoreWorkspace, _ db: Database) throws -> PassState {
        PassState(topics: try topicStates(in: workspace, db), resume: try resumePoint(resource, in: workspace, db))
    }

    /// The resume point of `workspace`'s unfinished pass over `resource`, if one is stored.
    func resumePoint(_ resource: Resource, in workspace: StoreWorkspace = .first) async throws -> ResumePoint? {
        try await read("read resume point") { db in try Self.resumePoint(resource, in: workspace, db) }
    }

    /// How many versions of `workspace`'s `topic` the store remembers (for `status` and tests).
    func seenVersionCount(topic: String, in workspace: StoreWorkspace = .first) async throws -> Int {
        try await read("count seen versions") { db in
            // With the superseded versions snapshots stand for, unless pruning passed them (they are behind the
            // horizon, where no pass fires anything).
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM seen_version WHERE workspace = ?2 AND topic = ?1)
                        + (SELECT count(*) FROM item_role
                            WHERE workspace = ?2 AND covers_topic = ?1 AND covers_version >= coalesce(
                                (SELECT pruned_below FROM topic_state WHERE workspace = ?2 AND topic = ?1),
                                covers_version))
                    """, arguments: [topic, workspace.id]) ?? 0
        }
    }
}
