import Foundation
import GRDB

extension SQLiteStore {
    /// Up to `limit` pending rows of `destination` due at `now` (`next_attempt_at <= now`), each with its event,
    /// shared fairly among the workspaces with due rows (``FairShare``): round-robin, each workspace's rows in event
    /// order, a workspace that cannot fill its share leaving it to the others. `after` (the workspace of the last
    /// row of the lane's previous turn) says where the round starts: after it. With one workspace: its first
    /// `limit` due rows in event order.
    ///
    /// A turn reads one index seek per workspace with pending rows and then only the rows it returns (plus, per
    /// workspace, pending rows not yet due before them): never a whole backlog.
    func dueOutbox(
        destination: String, now: Int, limit: Int, after rotation: StoreWorkspace? = nil, claim: OutboxClaim? = nil
    ) async throws -> [OutboxEntry] {
        // One daemon holds a SQLite store: its lanes need no claims.
        try await read("read due outbox") { db in
            let workspaces = try Int64.fetchAll(
                db.cachedStatement(sql: Self.pendingWorkspacesSQL), arguments: [destination])
            let due = try db.cachedStatement(sql: Self.workspaceDueSQL)
            let share = FairShare(workspaces: FairShare.rotated(workspaces, after: rotation?.id), limit: limit)
            return try share.take { workspace, afterSeq, count in
                try Row.fetchAll(due, arguments: [destination, workspace, afterSeq, now, count]).map(
                    OutboxEntry.init(row:))
            }
        }
    }

    /// Up to `?5` rows of destination `?1` and workspace `?2` after seq `?3` due at `?4`, in event order.
    /// INDEXED BY: the covering primary key looks as cheap to the planner, but walks every delivered row.
    static let workspaceDueSQL = """
        SELECT \(OutboxEntry.columns), \(StoredEvent.columns)
        FROM outbox INDEXED BY outbox_pending JOIN event ON event.seq = outbox.event_seq
        WHERE outbox.destination = ?1 AND outbox.workspace = ?2 AND outbox.state = 'pending'
            AND outbox.event_seq > ?3 AND outbox.next_attempt_at <= ?4
        ORDER BY outbox.event_seq
        LIMIT ?5
        """

    /// The workspaces with pending rows of destination `?1`, ascending: a loose index scan of `outbox_pending`, one
    /// seek per workspace however many rows each has queued.
    static let pendingWorkspacesSQL = """
        WITH RECURSIVE pending (workspace) AS (
            SELECT (SELECT workspace FROM outbox INDEXED BY outbox_pending
                WHERE destination = ?1 AND state = 'pending' ORDER BY workspace LIMIT 1)
            UNION ALL
            SELECT (SELECT workspace FROM outbox INDEXED BY outbox_pending
                WHERE destination = ?1 AND state = 'pending' AND workspace > pending.workspace
                ORDER BY workspace LIMIT 1)
            FROM pending WHERE pending.workspace IS NOT NULL
        )
        SELECT workspace FROM pending WHERE workspace IS NOT NULL
        """

    /// The earliest `next_attempt_at` of `destination`'s pending rows, or `nil` when none is pending:
    /// how long an idle lane may sleep.
    func nextAttemptAt(destination: String, claimant: String? = nil) async throws -> Int? {
        try await read("read next attempt") { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT min(next_attempt_at) FROM outbox INDEXED BY outbox_pending
                    WHERE destination = ? AND state = 'pending'
                    """,
                arguments: [destination])
        }
    }

    /// Records `attempts` of `destination`'s pending rows in one transaction: a lane's outcomes, written as
    /// they complete. Rows no longer pending (replayed, purged) are left as they are.
    func recordAttempts(destination: String, _ attempts: [OutboxAttempt]) async throws {
        guard !attempts.isEmpty else { return }
        try await write("record delivery attempts") { db in
            let delivered = try db.cachedStatement(
                sql: """
                    UPDATE outbox SET state = 'delivered', delivered_at = ?1, attempts = attempts + 1,
                        last_attempt_at = ?1, first_sent_at = coalesce(first_sent_at, ?1), last_error = NULL
                    WHERE destination = ?2 AND event_seq = ?3 AND state = 'pending'
                    """)
            let failed = try db.cachedStatement(
                sql: """
                    UPDATE outbox SET
                        state = CASE WHEN ?1 IS NULL THEN 'dead' ELSE 'pending' END,
                        next_attempt_at = coalesce(?1, next_attempt_at),
                        attempts = ?2, last_status = ?3, last_error = ?4,
                        last_attempt_at = coalesce(?5, last_attempt_at),
                        first_sent_at = coalesce(first_sent_at, ?5)
                    WHERE destination = ?6 AND event_seq = ?7 AND state = 'pending'
                    """)
            for attempt in attempts {
                switch attempt.result {
                case .delivered(let time):
                    try delivered.execute(arguments: [time, destination, attempt.seq])
                case .failed(let number, let status, let error, let next, let time):
                    try failed.execute(arguments: [next, number, status, error, time, destination, attempt.seq])
                }
            }
        }
    }

    /// Pending rows per destination (destinations with none are absent), of `workspace`'s events (`nil`: all).
    func queueDepth(workspace: StoreWorkspace? = nil) async throws -> [String: Int] {
        try await countOutbox(state: .pending, workspace: workspace)
    }

    /// Dead letters per destination (destinations with none are absent), of `workspace`'s events (`nil`: all).
    func deadLetterCounts(workspace: StoreWorkspace? = nil) async throws -> [String: Int] {
        try await countOutbox(state: .dead, workspace: workspace)
    }

    private func countOutbox(state: OutboxState, workspace: StoreWorkspace?) async throws -> [String: Int] {
        try await read("count outbox") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT destination, count(*) AS n FROM outbox
                    WHERE state = ?1 AND (?2 IS NULL OR event_seq IN (SELECT seq FROM event WHERE workspace = ?2))
                    GROUP BY destination
                    """,
                arguments: [state.rawValue, workspace?.id])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["destination"], $0["n"]) })
        }
    }

    /// Every destination that has outbox rows (of `workspace`'s events; `nil`: all), by name: counts, lag and last
    /// delivery.
    func destinationSummaries(workspace: StoreWorkspace? = nil) async throws -> [DestinationSummary] {
        try await read("summarise outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.destination,
                        count(*) FILTER (WHERE outbox.state = 'pending') AS pending,
                        count(*) FILTER (WHERE outbox.state = 'dead') AS dead,
                        min(event.detected_at) FILTER (WHERE outbox.state = 'pending') AS oldest_pending,
                        max(outbox.delivered_at) AS last_delivered,
                        max(outbox.next_attempt_at) FILTER (WHERE outbox.state = 'pending' AND outbox.attempts > 0)
                            AS retrying_until
                    FROM outbox JOIN event ON event.seq = outbox.event_seq
                    WHERE ?1 IS NULL OR event.workspace = ?1
                    GROUP BY outbox.destination
                    ORDER BY outbox.destination
                    """,
                arguments: [workspace?.id]
            ).map(DestinationSummary.init(row:))
        }
    }

    /// Deletes delivered rows delivered before `time`; returns how many. Dead letters stay.
    func pruneDelivered(before time: Int) async throws -> Int {
        try await write("prune delivered") { db in
            try db.execute(
                sql: "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?", arguments: [time])
            return db.changesCount
        }
    }

    /// Deletes events detected before `time` that no outbox row refers to any more (all delivered and
    /// pruned, or never routed anywhere); returns how many. `tail` no longer shows them.
    func pruneEvents(before time: Int) async throws -> Int {
        try await write("prune events") { db in
            // A snapshot pointing at an event about to go keeps its item, deflated.
            let keep = try db.cachedStatement(
                sql: """
                    UPDATE item_role SET snapshot_item = ?, snapshot_event_seq = NULL WHERE workspace = ? AND item_id = ?
                    """)
            let codec = SnapshotCodec()
            let pointing = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item_role.workspace, item_role.item_id, event.item
                    FROM item_role JOIN event ON event.seq = item_role.snapshot_event_seq
                    WHERE event.detected_at < ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_seq = event.seq)
                    """,
                arguments: [time])
            var moved: [(Int64, String, Data)] = []
            while let row = try pointing.next() { moved.append((row[0], row[1], codec.encode(row[2]))) }
            for (workspace, itemID, item) in moved { try keep.execute(arguments: [item, workspace, itemID]) }
            try db.execute(
                sql: """
                    DELETE FROM event
                    WHERE detected_at < ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_seq = event.seq)
                    """,
                arguments: [time])
            return db.changesCount
        }
    }

    /// Dead letters of `destination` (all destinations when `nil`) and of `workspace`'s events (all when `nil`), by
    /// destination then event order.
    func deadLetters(destination: String?, workspace: StoreWorkspace? = nil) async throws -> [DeadLetter] {
        try await read("read dead letters") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.destination, outbox.attempts, outbox.first_sent_at, outbox.last_attempt_at,
                        outbox.last_status, outbox.last_error,
                        event.seq, event.id, event.topic, event.item_id, event.version, event.detected_at
                    FROM outbox JOIN event ON event.seq = outbox.event_seq
                    WHERE outbox.state = 'dead' AND (?1 IS NULL OR outbox.destination = ?1)
                        AND (?2 IS NULL OR event.workspace = ?2)
                    ORDER BY outbox.destination, outbox.event_seq
                    """,
                arguments: [destination, workspace?.id]
            ).map(DeadLetter.init(row:))
        }
    }

    /// Deletes the dead letters of `destination` (all destinations when `nil`) and of `workspace`'s events (all
    /// when `nil`); returns how many.
    func purgeDeadLetters(destination: String?, workspace: StoreWorkspace? = nil) async throws -> Int {
        try await write("purge dead letters") { db in
            try db.execute(
                sql: """
                    DELETE FROM outbox WHERE state = 'dead' AND (?1 IS NULL OR destination = ?1)
                        AND (?2 IS NULL OR event_seq IN (SELECT seq FROM event WHERE workspace = ?2))
                    """,
                arguments: [destination, workspace?.id])
            return db.changesCount
        }
    }

    /// Queues deliveries to `destination` again, due at once with a fresh retry schedule:
    /// - `eventID`: that one event, whatever its state (also when delivered, pruned, or never routed there);
    /// - otherwise `since`: the dead letters of events detected at or after `since`;
    /// - otherwise `allFailed`: every dead letter.
    ///
    /// With `workspace` set, only its events are queued again.
    ///
    /// - Returns: how many rows were queued (0 when the event is unknown or nothing matched).
    func replay(
        destination: String, eventID: String?, since: Int?, allFailed: Bool, workspace: StoreWorkspace? = nil
    ) async throws -> Int {
        let requeue = """
            state = 'pending', attempts = 0, next_attempt_at = 0, first_sent_at = NULL, last_attempt_at = NULL,
            last_status = NULL, last_error = NULL, delivered_at = NULL
            """
        return try await write("replay") { db in
            if let eventID {
                try db.execute(
                    sql: """
                        INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at, workspace)
                        SELECT ?1, seq, 'pending', 0, 0, workspace FROM event WHERE id = ?2 AND (?3 IS NULL OR workspace = ?3)
                        ON CONFLICT (destination, event_seq) DO UPDATE SET \(requeue)
                        """,
                    arguments: [destination, eventID, workspace?.id])
            } else if let since {
                try db.execute(
                    sql: """
                        UPDATE outbox SET \(requeue)
                        WHERE destination = ?1 AND state = 'dead'
                            AND event_seq IN (SELECT seq FROM event WHERE detected_at >= ?2 AND (?3 IS NULL OR workspace = ?3))
                        """,
                    arguments: [destination, since, workspace?.id])
            } else if allFailed {
                try db.execute(
                    sql: """
                        UPDATE outbox SET \(requeue)
                        WHERE destination = ?1 AND state = 'dead'
                            AND (?2 IS NULL OR event_seq IN (SELECT seq FROM event WHERE workspace = ?2))
                        """,
                    arguments: [destination, workspace?.id])
            } else {
                return 0
            }
            return db.changesCount
        }
    }

    /// Makes every pending row of `destination` that waits for a later attempt (a retry step, a receiver's
    /// `Retry-After`) due at `now`, keeping its attempts — only those of `workspace`'s events when set; returns how
    /// many. Its lane, if throttled, notices within a second.
    func retryWaitingNow(destination: String, now: Int, workspace: StoreWorkspace? = nil) async throws -> Int {
        try await write("retry waiting rows now") { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET next_attempt_at = ?2
                    WHERE destination = ?1 AND state = 'pending' AND next_attempt_at > ?2
                        AND (?3 IS NULL OR event_seq IN (SELECT seq FROM event WHERE workspace = ?3))
                    """,
                arguments: [destination, now, workspace?.id])
            return db.changesCount
        }
    }

    /// Whether any of `seqs` is still a pending row of `destination` due at or after `until`: a throttled lane
    /// stops waiting early once an admin made them due (``retryWaitingNow(destination:now:workspace:)``).
    func isWaiting(destination: String, seqs: [Int64], until: Int) async throws -> Bool {
        guard !seqs.isEmpty else { return false }
        return try await read("read waiting rows") { db in
            let marks = Array(repeating: "?", count: seqs.count).joined(separator: ",")
            return try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM outbox WHERE destination = ? AND state = 'pending'
                        AND next_attempt_at >= ? AND event_seq IN (\(marks)))
                    """,
                arguments: StatementArguments([destination, until] as [any DatabaseValueConvertible] + seqs)) ?? false
        }
    }

    /// Disables `name` (e.g. after HTTP 410) until ``enableDestination(_:)``.
    func setDestinationDisabled(_ name: String, reason: String?, at time: Int) async throws {
        try await write("disable destination") { db in
            try db.execute(
                sql: """
                    INSERT INTO destination_state (name, disabled_at, disabled_reason) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET
                        disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason
                    """,
                arguments: [name, time, reason])
        }
    }

    /// Re-enables `name`; its pending rows are delivered again by its lane.
    func enableDestination(_ name: String) async throws {
        try await write("enable destination") { db in
            try db.execute(sql: "DELETE FROM destination_state WHERE name = ?", arguments: [name])
        }
    }

    /// The destinations the store has a state for (only disabled ones, today), by name.
    func destinationStates() async throws -> [DestinationState] {
        try await read("read destination states") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM destination_state ORDER BY name").map(DestinationState.init(row:))
        }
    }

    /// Destination name → events its filter skipped so far (only destinations that skipped any).
    func filteredCounts() async throws -> [String: Int] {
        try await read("filtered counts") { db in
            try Row.fetchAll(db, sql: "SELECT name, skipped FROM destination_filtered").reduce(into: [:]) {
                $0[$1["name"] as String] = $1["skipped"] as Int
            }
        }
    }
}
