import GRDB

extension StateStore {
    /// Commits one page in one write transaction: the versions not seen before, their events, one outbox
    /// row per destination of `routes` that takes the topic, the ``PageCommit/seenOnly`` versions, and the
    /// watermarks (which never move backwards).
    ///
    /// A version already in `seen_version` is skipped and never touches the outbox again. A version seen
    /// again after a reset forgot it keeps its event (same id, same `detectedAt`, same item) and its outbox
    /// rows go back to pending with no attempts — still one row per (destination, event).
    ///
    /// - Returns: the events this commit queued, new or re-queued, in page order.
    @discardableResult
    public func commitPage(_ page: PageCommit, routes: OutboxRoutes) async throws -> [StoredEvent] {
        // Sorted so that fan-out order (and so seq order within a destination) is deterministic.
        let routes = routes.sorted { $0.key < $1.key }
        return try await write("commit page") { db in
            let markSeen = try db.cachedStatement(
                sql: """
                    INSERT INTO seen_version (topic, item_id, version, seen_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """)
            let insertEvent = try db.cachedStatement(
                sql: """
                    INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id, changes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    """)
            let existingEvent = try db.cachedStatement(
                sql: "SELECT \(StoredEvent.columns) FROM event WHERE id = ?")
            let enqueue = try db.cachedStatement(
                sql: """
                    INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at)
                    VALUES (?, ?, 'pending', 0, ?)
                    ON CONFLICT (destination, event_seq) DO UPDATE SET
                        state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                        first_sent_at = NULL, last_attempt_at = NULL, last_status = NULL, last_error = NULL,
                        delivered_at = NULL
                    """)
            let snapshots = page.keepsSnapshots ? try SnapshotStatements(db) : nil
            var queued: [StoredEvent] = []
            for candidate in page.events {
                try markSeen.execute(arguments: [candidate.topic, candidate.itemID, candidate.version, page.detectedAt])
                guard db.changesCount > 0 else { continue }

                let changes = try snapshots?.record(candidate)
                try insertEvent.execute(arguments: [
                    candidate.id, candidate.topic, candidate.itemID, candidate.version, page.detectedAt,
                    candidate.item, page.workspaceID, changes,
                ])
                let event: StoredEvent
                if db.changesCount > 0 {
                    event = StoredEvent(
                        seq: db.lastInsertedRowID, id: candidate.id, topic: candidate.topic, itemID: candidate.itemID,
                        version: candidate.version, detectedAt: page.detectedAt, item: candidate.item,
                        workspaceID: page.workspaceID, changes: changes)
                } else if let row = try Row.fetchOne(existingEvent, arguments: [candidate.id]) {
                    // Re-detected after a reset: the event is immutable, only its deliveries start over.
                    event = StoredEvent(row: row)
                } else {
                    continue  // unreachable: the conflicting row exists inside this transaction
                }
                for (destination, topics) in routes where topics?.contains(event.topic) ?? true {
                    try enqueue.execute(arguments: [destination, event.seq, page.detectedAt])
                }
                queued.append(event)
            }
            for seen in page.seenOnly {
                try markSeen.execute(arguments: [seen.topic, seen.itemID, seen.version, page.detectedAt])
            }
            // A changed role first keeps what it was before this version, for re-reads of this version.
            let noteChange = try db.cachedStatement(
                sql: """
                    INSERT INTO item_role_change (item_id, version, from_role, from_was_lead)
                    SELECT item_id, ?2, role, was_lead FROM item_role WHERE item_id = ?1 AND role != ?3
                    ON CONFLICT DO NOTHING
                    """)
            let remember = try db.cachedStatement(
                sql: """
                    INSERT INTO item_role (item_id, role, was_lead, first_version) VALUES (?1, ?3, ?3 = 'lead', ?2)
                    ON CONFLICT DO UPDATE SET role = excluded.role, was_lead = was_lead OR excluded.was_lead
                    """)
            for (itemID, sighting) in page.roles.sorted(by: { $0.key < $1.key }) {
                try noteChange.execute(arguments: [itemID, sighting.version, sighting.role])
                try remember.execute(arguments: [itemID, sighting.version, sighting.role])
            }
            try Self.advance(page.watermarks, passStartedAt: page.passStartedAt, in: db)
            switch page.resume {
            case .keep:
                break
            case .record(let point):
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO pass_resume (resource, field, pass_start, bound, newest, reached)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        point.resource.rawValue, point.field.rawValue, point.passStart, point.bound, point.newest,
                        point.reached,
                    ])
            case .clear(let resource):
                try db.execute(sql: "DELETE FROM pass_resume WHERE resource = ?", arguments: [resource.rawValue])
            }
            return queued
        }
    }

    /// Moves watermarks (and, with `passStartedAt`, the last pass's start) forward only; unknown topics are
    /// created at their watermark.
    static func advance(_ watermarks: [String: Int], passStartedAt: Int?, in db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO topic_state (topic, watermark, start_at, last_pass_start) VALUES (?1, ?2, ?2, ?3)
                ON CONFLICT (topic) DO UPDATE SET watermark = max(watermark, excluded.watermark),
                    last_pass_start = coalesce(
                        max(last_pass_start, excluded.last_pass_start), last_pass_start, excluded.last_pass_start)
                """)
        for (topic, watermark) in watermarks {
            try upsert.execute(arguments: [topic, watermark, passStartedAt])
        }
    }
}
