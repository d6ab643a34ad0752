import GRDB

extension StateStore {
    /// Inserts the topics that are missing, with `watermark = start_at = start`.
    ///
    /// Existing topics are never moved: a restart or a changed `start` in the configuration must not
    /// re-fire or skip anything. Only ``requestReset(topic:to:)`` moves a topic.
    public func ensureTopics(_ starts: [String: Int]) async throws {
        try await write("ensure topics") { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO topic_state (topic, watermark, start_at) VALUES (?, ?, ?)
                    ON CONFLICT (topic) DO NOTHING
                    """)
            for (topic, start) in starts {
                try insert.execute(arguments: [topic, start, start])
            }
        }
    }

    /// Every known topic, by name.
    public func topicStates() async throws -> [TopicState] {
        try await read("read topic states") { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM topic_state ORDER BY topic")).map(
                TopicState.init(row:))
        }
    }

    /// Asks the daemon to rewind (or advance) `topic` — every known topic when `nil` — to `to` at its next
    /// cycle (see ``applyPendingResets()``). A named topic the store does not know yet is created there.
    ///
    /// - Returns: the topics the request was recorded for.
    @discardableResult
    public func requestReset(topic: String?, to target: Int) async throws -> [String] {
        try await write("request reset") { db in
            if let topic {
                try db.execute(
                    sql: """
                        INSERT INTO topic_state (topic, watermark, start_at, reset_requested_to) VALUES (?, ?, ?, ?)
                        ON CONFLICT (topic) DO UPDATE SET reset_requested_to = excluded.reset_requested_to
                        """,
                    arguments: [topic, target, target, target])
                return [topic]
            }
            try db.execute(sql: "UPDATE topic_state SET reset_requested_to = ?", arguments: [target])
            return try String.fetchAll(db, sql: "SELECT topic FROM topic_state ORDER BY topic")
        }
    }

    /// Applies the resets admins asked for: the watermark and start point become the target, and the seen
    /// versions at or after it are forgotten, so those versions are detected and delivered again under
    /// the same event ids. The daemon calls this at the start of each cycle.
    ///
    /// - Returns: the topics that were reset.
    @discardableResult
    public func applyPendingResets() async throws -> [String] {
        // Read first: a cycle with no reset asked for writes nothing.
        let asked = try await read("read resets") { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM topic_state WHERE reset_requested_to IS NOT NULL)"))
        }
        guard asked == true else { return [] }
        return try await write("apply resets") { db in
            let pending = try Row.fetchAll(
                db,
                sql:
                    "SELECT topic, reset_requested_to FROM topic_state WHERE reset_requested_to IS NOT NULL ORDER BY topic"
            )
            for row in pending {
                let topic: String = row["topic"]
                let target: Int = row["reset_requested_to"]
                // Marks first: clearing one settles it into seen_version (a trigger), where the delete finds it.
                try db.execute(
                    sql: """
                        UPDATE item_role SET covers_topic = NULL, covers_version = NULL
                        WHERE covers_topic = ? AND covers_version >= ?
                        """,
                    arguments: [topic, target])
                try db.execute(
                    sql: "DELETE FROM seen_version WHERE topic = ? AND version >= ?", arguments: [topic, target])
                try db.execute(
                    sql: """
                        UPDATE topic_state SET watermark = ?1, start_at = ?1, reset_requested_to = NULL,
                            pruned_below = min(pruned_below, ?1)
                        WHERE topic = ?2
                        """,
                    arguments: [target, topic])
            }
            // An unfinished pass's resume point is about the old watermarks: the next pass starts afresh.
            if !pending.isEmpty { try db.execute(sql: "DELETE FROM pass_resume") }
            return pending.map { $0["topic"] }
        }
    }

    /// Records the outcome of a poll of `topics` for `status`, adding `skipped` unreadable and `futureDated`
    /// future-dated items to their counts.
    public func recordPoll(
        topics: [String], at time: Int, result: String, error: String?, skipped: Int = 0, futureDated: Int = 0
    ) async throws {
        try await write("record poll") { db in
            let update = try db.cachedStatement(
                sql: """
                    UPDATE topic_state SET last_poll_at = ?, last_result = ?, last_error = ?,
                        skipped_items = skipped_items + ?, future_dated_items = future_dated_items + ?
                    WHERE topic = ?
                    """)
            for topic in topics {
                try update.execute(arguments: [time, result, error, skipped, futureDated, topic])
            }
        }
    }

    /// Forgets seen versions older than each topic's horizon (`version < horizon`); returns how many.
    ///
    /// Only versions the poller will not fire again (older than its horizon) may go; each topic's
    /// ``TopicState/prunedBelow`` records the highest horizon pruned so far (kept across restarts).
    public func pruneSeenVersions(olderThan horizons: [String: Int]) async throws -> Int {
        try await write("prune seen versions") { db in
            var removed = 0
            for (topic, horizon) in horizons {
                try db.execute(
                    sql: "DELETE FROM seen_version WHERE topic = ? AND version < ?", arguments: [topic, horizon])
                removed += db.changesCount
                try db.execute(
                    sql: "UPDATE topic_state SET pruned_below = max(coalesce(pruned_below, ?1), ?1) WHERE topic = ?2",
                    arguments: [horizon, topic])
            }
            return removed
        }
    }

    /// Every known topic and `resource`'s resume point, in one read: what a pass needs before its first request.
    public func passState(_ resource: Resource) async throws -> (topics: [TopicState], resume: ResumePoint?) {
        try await read("read pass state") { db in
            let topics = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM topic_state ORDER BY topic"))
                .map(TopicState.init(row:))
            let resume = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM pass_resume WHERE resource = ?"), arguments: [resource.rawValue])
            return (topics, resume.flatMap(ResumePoint.init(row:)))
        }
    }

    /// The resume point of `resource`'s unfinished pass, if one is stored.
    public func resumePoint(_ resource: Resource) async throws -> ResumePoint? {
        try await read("read resume point") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM pass_resume WHERE resource = ?"), arguments: [resource.rawValue]
            )
            .flatMap(ResumePoint.init(row:))
        }
    }

    /// How many versions of `topic` the store remembers (for `status` and tests).
    public func seenVersionCount(topic: String) async throws -> Int {
        try await read("count seen versions") { db in
            // With the superseded versions snapshots stand for, unless pruning passed them (they are behind the
            // horizon, where no pass fires anything).
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM seen_version WHERE topic = ?1)
                        + (SELECT count(*) FROM item_role WHERE covers_topic = ?1 AND covers_version >= coalesce(
                            (SELECT pruned_below FROM topic_state WHERE topic = ?1), covers_version))
                    """, arguments: [topic]) ?? 0
        }
    }
}
