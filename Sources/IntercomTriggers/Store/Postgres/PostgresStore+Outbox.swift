import Foundation
import PostgresNIO

extension PostgresStore {
    /// The outbox columns ``outboxEntry(_:_:)`` decodes besides ``eventColumns``.
    static let outboxColumns = """
        outbox.destination, outbox.attempts, outbox.next_attempt_at, outbox.first_sent_at, outbox.last_attempt_at,
        outbox.last_status, outbox.last_error, outbox.workspace
        """
    typealias OutboxRow = (String, Int, Int, Int?, Int?, Int?, String?, Int64)

    func dueOutbox(
        destination: String, now: Int, limit: Int, after rotation: StoreWorkspace?, claim: OutboxClaim?
    ) async throws -> [OutboxEntry] {
        guard let claim else {
            return try await read("read due outbox") { [logger] connection in
                try await Self.due(destination, now: now, limit: limit, after: rotation, claim: nil, connection, logger)
            }
        }
        // Rows locked by another lane's turn are skipped; the ones taken are claimed before the locks go.
        return try await write("claim due outbox") { [logger] connection in
            let rows = try await Self.due(
                destination, now: now, limit: limit, after: rotation, claim: claim, connection, logger)
            if !rows.isEmpty {
                try await connection.run(
                    """
                    UPDATE outbox SET claimed_by = \(claim.claimant),
                        claimed_until = now() + make_interval(secs => \(claim.seconds))
                    WHERE destination = \(destination) AND event_seq = ANY(\(rows.map(\.event.seq))::bigint[])
                    """, logger: logger)
            }
            return rows
        }
    }

    /// A turn's due rows (``FairShare``); with `claim`, only rows no other daemon's claim holds, locked.
    private static func due(
        _ destination: String, now: Int, limit: Int, after rotation: StoreWorkspace?, claim: OutboxClaim?,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [OutboxEntry] {
        // A loose index scan of `outbox_pending`: one seek per workspace however many rows each has queued.
        let workspaces = try await connection.all(
            """
            WITH RECURSIVE pending (workspace) AS (
                (SELECT workspace FROM outbox WHERE destination = \(destination) AND state = 'pending'
                    ORDER BY workspace LIMIT 1)
                UNION ALL
                SELECT (SELECT workspace FROM outbox
                    WHERE destination = \(destination) AND state = 'pending' AND workspace > pending.workspace
                    ORDER BY workspace LIMIT 1)
                FROM pending WHERE pending.workspace IS NOT NULL
            )
            SELECT workspace FROM pending WHERE workspace IS NOT NULL
            """, Int64.self, logger)
        let claimant = claim?.claimant
        let locking = claim == nil ? "" : "FOR UPDATE OF outbox SKIP LOCKED"
        var share = FairShare(workspaces: FairShare.rotated(workspaces, after: rotation?.id), limit: limit)
        while let next = share.next() {
            var rows: [OutboxEntry] = []
            for try await row in try await connection.query(
                """
                SELECT \(unescaped: outboxColumns), \(unescaped: eventColumns)
                FROM outbox JOIN event ON event.seq = outbox.event_seq
                WHERE outbox.destination = \(destination) AND outbox.workspace = \(next.workspace)
                    AND outbox.state = 'pending' AND outbox.event_seq > \(next.afterSeq)
                    AND outbox.next_attempt_at <= \(now)
                    AND (\(claimant)::text IS NULL OR outbox.claimed_until IS NULL OR outbox.claimed_until < now()
                        OR outbox.claimed_by = \(claimant))
                ORDER BY outbox.event_seq
                LIMIT \(next.count)
                \(unescaped: locking)
                """, logger: logger)
            {
                let (
                    d, attempts, nextAt, first, last, status, error, workspace, seq, id, topic, item, version,
                    detected, body, workspaceID, changes
                ) = try row.decode(
                    (
                        String, Int, Int, Int?, Int?, Int?, String?, Int64, Int64, String, String, String, Int,
                        Int, Data, String?, Data?
                    ).self)
                rows.append(
                    OutboxEntry(
                        destination: d,
                        event: storedEvent((seq, id, topic, item, version, detected, body, workspaceID, changes)),
                        attempts: attempts, nextAttemptAt: nextAt, firstSentAt: first, lastAttemptAt: last,
                        lastStatus: status, lastError: error, workspace: StoreWorkspace(id: workspace)))
            }
            share.record(rows)
        }
        return share.turn
    }

    func nextAttemptAt(destination: String, claimant: String?) async throws -> Int? {
        try await read("read next attempt") { [logger] connection in
            let earliest: Int?? = try await connection.one(
                """
                SELECT min(CASE
                    WHEN \(claimant)::text IS NOT NULL AND claimed_until > now() AND claimed_by <> \(claimant)
                        THEN greatest(next_attempt_at, ceil(extract(epoch FROM claimed_until))::bigint)
                    ELSE next_attempt_at END)
                FROM outbox WHERE destination = \(destination) AND state = 'pending'
                """, Int?.self, logger)
            return earliest ?? nil
        }
    }

    func recordAttempts(destination: String, _ attempts: [OutboxAttempt]) async throws {
        guard !attempts.isEmpty else { return }
        try await write("record delivery attempts") { [logger] connection in
            // Failures first, one statement each (a row delivered after a failed attempt in the same batch then
            // ends delivered, as in attempt order; nothing follows a delivery), then every delivery in one.
            var delivered: [(seq: Int64, time: Int)] = []
            for attempt in attempts {
                switch attempt.result {
                case .delivered(let time):
                    delivered.append((attempt.seq, time))
                case .failed(let number, let status, let error, let next, let time):
                    try await connection.run(
                        """
                        UPDATE outbox SET
                            state = CASE WHEN \(next)::bigint IS NULL THEN 'dead' ELSE 'pending' END,
                            next_attempt_at = coalesce(\(next)::bigint, next_attempt_at),
                            attempts = \(number), last_status = \(status)::bigint, last_error = \(error),
                            last_attempt_at = coalesce(\(time)::bigint, last_attempt_at),
                            first_sent_at = coalesce(first_sent_at, \(time)::bigint),
                            claimed_by = NULL, claimed_until = NULL
                        WHERE destination = \(destination) AND event_seq = \(attempt.seq) AND state = 'pending'
                        """, logger: logger)
                }
            }
            guard !delivered.isEmpty else { return }
            try await connection.run(
                """
                UPDATE outbox SET state = 'delivered', delivered_at = given.time, attempts = attempts + 1,
                    claimed_by = NULL, claimed_until = NULL, last_attempt_at = given.time,
                    first_sent_at = coalesce(first_sent_at, given.time), last_error = NULL
                FROM unnest(\(delivered.map(\.seq))::bigint[], \(delivered.map(\.time))::bigint[]) AS given (seq, time)
                WHERE destination = \(destination) AND event_seq = given.seq AND state = 'pending'
                """, logger: logger)
        }
    }

    func queueDepth(workspace: StoreWorkspace?) async throws -> [String: Int] {
        try await countOutbox(state: .pending, workspace: workspace)
    }

    func deadLetterCounts(workspace: StoreWorkspace?) async throws -> [String: Int] {
        try await countOutbox(state: .dead, workspace: workspace)
    }

    private func countOutbox(state: OutboxState, workspace: StoreWorkspace?) async throws -> [String: Int] {
        try await read("count outbox") { [logger] connection in
            let rows = try await connection.all(
                """
                SELECT destination, count(*) FROM outbox
                WHERE state = \(state.rawValue) AND (\(workspace?.id)::bigint IS NULL OR workspace = \(workspace?.id))
                GROUP BY destination
                """, (String, Int).self, logger)
            return Dictionary(uniqueKeysWithValues: rows)
        }
    }

    func destinationSummaries(workspace: StoreWorkspace?) async throws -> [DestinationSummary] {
        try await read("summarise outbox") { [logger] connection in
            try await connection.all(
                """
                SELECT outbox.destination,
                    count(*) FILTER (WHERE outbox.state = 'pending'),
                    count(*) FILTER (WHERE outbox.state = 'dead'),
                    min(event.detected_at) FILTER (WHERE outbox.state = 'pending'),
                    max(outbox.delivered_at),
                    max(outbox.next_attempt_at) FILTER (WHERE outbox.state = 'pending' AND outbox.attempts > 0)
                FROM outbox JOIN event ON event.seq = outbox.event_seq
                WHERE \(workspace?.id)::bigint IS NULL OR event.workspace = \(workspace?.id)
                GROUP BY outbox.destination
                ORDER BY outbox.destination
                """, (String, Int, Int, Int?, Int?, Int?).self, logger
            ).map {
                DestinationSummary(
                    name: $0.0, pending: $0.1, dead: $0.2, oldestPendingDetectedAt: $0.3, lastDeliveredAt: $0.4,
                    retryingUntil: $0.5)
            }
        }
    }

    func pruneDelivered(before time: Int) async throws -> Int {
        try await write("prune delivered") { [logger] connection in
            try await connection.one(
                """
                WITH gone AS (
                    DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < \(time) RETURNING 1)
                SELECT count(*) FROM gone
                """, Int.self, logger) ?? 0
        }
    }

    func pruneEvents(before time: Int) async throws -> Int {
        try await write("prune events") { [logger] connection in
            // A snapshot pointing at an event about to go keeps its item, deflated.
            let pointing = try await connection.all(
                """
                SELECT item_role.workspace, item_role.item_id, event.item
                FROM item_role JOIN event ON event.seq = item_role.snapshot_event_seq
                WHERE event.detected_at < \(time)
                    AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_seq = event.seq)
                """, (Int64, String, Data).self, logger)
            let codec = SnapshotCodec()
            for (workspace, itemID, item) in pointing {
                let kept = codec.encode(item)
                try await connection.run(
                    """
                    UPDATE item_role SET snapshot_item = \(kept), snapshot_event_seq = NULL
                    WHERE workspace = \(workspace) AND item_id = \(itemID)
                    """, logger: logger)
            }
            return try await connection.one(
                """
                WITH gone AS (
                    DELETE FROM event
                    WHERE detected_at < \(time) AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_seq = event.seq)
                    RETURNING 1)
                SELECT count(*) FROM gone
                """, Int.self, logger) ?? 0
        }
    }

    func deadLetters(destination: String?, workspace: StoreWorkspace?) async throws -> [DeadLetter] {
        try await read("read dead letters") { [logger] connection in
            try await connection.all(
                """
                SELECT outbox.destination, event.seq, event.id, event.topic, event.item_id, event.version,
                    event.detected_at, outbox.attempts, outbox.first_sent_at, outbox.last_attempt_at,
                    outbox.last_status, outbox.last_error
                FROM outbox JOIN event ON event.seq = outbox.event_seq
                WHERE outbox.state = 'dead' AND (\(destination)::text IS NULL OR outbox.destination = \(destination))
                    AND (\(workspace?.id)::bigint IS NULL OR event.workspace = \(workspace?.id))
                ORDER BY outbox.destination, outbox.event_seq
                """, (String, Int64, String, String, String, Int, Int, Int, Int?, Int?, Int?, String?).self, logger
            ).map {
                DeadLetter(
                    destination: $0.0, eventSeq: $0.1, eventID: $0.2, topic: $0.3, itemID: $0.4, version: $0.5,
                    detectedAt: $0.6, attempts: $0.7, firstSentAt: $0.8, lastAttemptAt: $0.9, lastStatus: $0.10,
                    lastError: $0.11)
            }
        }
    }

    func purgeDeadLetters(destination: String?, workspace: StoreWorkspace?) async throws -> Int {
        try await write("purge dead letters") { [logger] connection in
            try await connection.one(
                """
                WITH gone AS (
                    DELETE FROM outbox
                    WHERE state = 'dead' AND (\(destination)::text IS NULL OR destination = \(destination))
                        AND (\(workspace?.id)::bigint IS NULL OR workspace = \(workspace?.id))
                    RETURNING 1)
                SELECT count(*) FROM gone
                """, Int.self, logger) ?? 0
        }
    }

    func replay(
        destination: String, eventID: String?, since: Int?, allFailed: Bool, workspace: StoreWorkspace?
    ) async throws -> Int {
        let requeue = """
            state = 'pending', attempts = 0, next_attempt_at = 0, first_sent_at = NULL, last_attempt_at = NULL,
            last_status = NULL, last_error = NULL, delivered_at = NULL, claimed_by = NULL, claimed_until = NULL
            """
        let only = workspace?.id
        return try await write("replay") { [logger] connection in
            let query: PostgresQuery
            if let eventID {
                query = """
                    WITH queued AS (
                        INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at, workspace)
                        SELECT \(destination), seq, 'pending', 0, 0, workspace FROM event
                        WHERE id = \(eventID) AND (\(only)::bigint IS NULL OR workspace = \(only))
                        ON CONFLICT (destination, event_seq) DO UPDATE SET \(unescaped: requeue)
                        RETURNING 1)
                    SELECT count(*) FROM queued
                    """
            } else if let since {
                query = """
                    WITH queued AS (
                        UPDATE outbox SET \(unescaped: requeue)
                        WHERE destination = \(destination) AND state = 'dead'
                            AND event_seq IN (SELECT seq FROM event WHERE detected_at >= \(since)
                                AND (\(only)::bigint IS NULL OR workspace = \(only)))
                        RETURNING 1)
                    SELECT count(*) FROM queued
                    """
            } else if allFailed {
                query = """
                    WITH queued AS (
                        UPDATE outbox SET \(unescaped: requeue)
                        WHERE destination = \(destination) AND state = 'dead'
                            AND (\(only)::bigint IS NULL OR workspace = \(only))
                        RETURNING 1)
                    SELECT count(*) FROM queued
                    """
            } else {
                return 0
            }
            return try await connection.one(query, Int.self, logger) ?? 0
        }
    }

    func retryWaitingNow(destination: String, now: Int, workspace: StoreWorkspace?) async throws -> Int {
        try await write("retry waiting rows now") { [logger] connection in
            try await connection.one(
                """
                WITH moved AS (
                    UPDATE outbox SET next_attempt_at = \(now)
                    WHERE destination = \(destination) AND state = 'pending' AND next_attempt_at > \(now)
                        AND (\(workspace?.id)::bigint IS NULL OR workspace = \(workspace?.id))
                    RETURNING 1)
                SELECT count(*) FROM moved
                """, Int.self, logger) ?? 0
        }
    }

    func isWaiting(destination: String, seqs: [Int64], until: Int) async throws -> Bool {
        guard !seqs.isEmpty else { return false }
        return try await read("read waiting rows") { [logger] connection in
            try await connection.one(
                """
                SELECT EXISTS (SELECT 1 FROM outbox WHERE destination = \(destination) AND state = 'pending'
                    AND next_attempt_at >= \(until) AND event_seq = ANY(\(seqs)::bigint[]))
                """, Bool.self, logger) ?? false
        }
    }

    func setDestinationDisabled(_ name: String, reason: String?, at time: Int) async throws {
        try await write("disable destination") { [logger] connection in
            try await connection.run(
                """
                INSERT INTO destination_state (name, disabled_at, disabled_reason) VALUES (\(name), \(time), \(reason))
                ON CONFLICT (name) DO UPDATE SET
                    disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason
                """, logger: logger)
        }
    }

    func enableDestination(_ name: String) async throws {
        try await write("enable destination") { [logger] connection in
            try await connection.run("DELETE FROM destination_state WHERE name = \(name)", logger: logger)
        }
    }

    func destinationStates() async throws -> [DestinationState] {
        try await read("read destination states") { [logger] connection in
            try await connection.all(
                "SELECT name, disabled_at, disabled_reason FROM destination_state ORDER BY name",
                (String, Int?, String?).self, logger
            ).map { DestinationState(name: $0.0, disabledAt: $0.1, disabledReason: $0.2) }
        }
    }

    func filteredCounts() async throws -> [String: Int] {
        try await read("filtered counts") { [logger] connection in
            Dictionary(
                try await connection.all("SELECT name, skipped FROM destination_filtered", (String, Int).self, logger),
                uniquingKeysWith: { $1 })
        }
    }
}
