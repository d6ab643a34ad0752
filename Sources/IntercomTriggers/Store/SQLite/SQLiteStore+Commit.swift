import Foundation
import GRDB

extension SQLiteStore {
    /// Commits one page of ``PageCommit/workspace`` in one write transaction: the versions not seen before, their events, one outbox
    /// row per destination of `routes` that takes the topic, the ``PageCommit/seenOnly`` versions, and the
    /// watermarks (which never move backwards).
    ///
    /// A version already in `seen_version` is skipped and never touches the outbox again. A version seen
    /// again after a reset forgot it keeps its event (same id, same `detectedAt`, same item) and its outbox
    /// rows go back to pending with no attempts — still one row per (destination, event).
    ///
    /// - Returns: the events this commit queued, new or re-queued, in page order.
    @discardableResult
    func commitPage(_ page: PageCommit, routes: OutboxRoutes) async throws -> [StoredEvent] {
        try await commit(page, routes: routes).queued
    }

    /// Commits one page like ``commitPage(_:routes:)`` and also says which updates were suppressed as noise
    /// (only ``PageCommit/ignoredFields`` changed: seen, counted per topic, no event) and which events a
    /// destination's filter skipped (no outbox row there; counted per destination). Both counts are kept in the
    /// store for `status` in the same transaction.
    func commit(_ page: PageCommit, routes: OutboxRoutes) async throws -> PageOutcome {
        // Sorted so that fan-out order (and so seq order within a destination) is deterministic.
        let routes = routes.sorted { $0.key < $1.key }
        let workspace = page.workspace.id
        return try await write("commit page") { db in
            let markSeen = try db.cachedStatement(
                sql: """
                    INSERT INTO seen_version (workspace, topic, item_id, version, seen_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """)
            let insertEvent = try db.cachedStatement(
                sql: """
                    INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id, changes, workspace)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    """)
            let existingEvent = try db.cachedStatement(
                sql: "SELECT \(StoredEvent.columns), event.workspace FROM event WHERE id = ?")
            let enqueue = try db.cachedStatement(
                sql: """
                    INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at, workspace)
                    VALUES (?, ?, 'pending', 0, ?, ?)
                    ON CONFLICT (destination, event_seq) DO UPDATE SET
                        state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                        first_sent_at = NULL, last_attempt_at = NULL, last_status = NULL, last_error = NULL,
                        delivered_at = NULL
                    """)
            // The roles first: a contact's snapshot lives in its role row. A changed role first keeps what it was
            // before this version, for re-reads of this version.
            let noteChange = try db.cachedStatement(
                sql: """
                    INSERT INTO item_role_change (workspace, item_id, version, from_role, from_was_lead)
                    SELECT workspace, item_id, ?2, role, was_lead FROM item_role
                    WHERE workspace = ?4 AND item_id = ?1 AND role != ?3
                    ON CONFLICT DO NOTHING
                    """)
            let remember = try db.cachedStatement(
                sql: """
                    INSERT INTO item_role (workspace, item_id, role, was_lead, first_version)
                    VALUES (?4, ?1, ?3, ?3 = 'lead', ?2)
                    ON CONFLICT DO UPDATE SET role = excluded.role, was_lead = was_lead OR excluded.was_lead
                    """)
            for (itemID, sighting) in page.roles.sorted(by: { $0.key < $1.key }) {
                try noteChange.execute(arguments: [itemID, sighting.version, sighting.role, workspace])
                try remember.execute(arguments: [itemID, sighting.version, sighting.role, workspace])
            }
            let snapshots = page.keepsSnapshots ? try SnapshotStatements(db, workspace: page.workspace) : nil
            // The update versions a created event of the same sighting superseded: the snapshot stands for them.
            var superseded: [String: SeenVersion] = [:]
            if snapshots != nil {
                for seen in page.seenOnly where TopicCatalog.changeTopics.contains(seen.topic) {
                    superseded[seen.itemID] = seen
                }
            }
            var covered = Set<SeenVersion>()
            var outcome = PageOutcome()
            for candidate in page.events {
                try markSeen.execute(arguments: [
                    workspace, candidate.topic, candidate.itemID, candidate.version, page.detectedAt,
                ])
                guard db.changesCount > 0 else { continue }

                var changes: Data?
                switch try snapshots?.compare(candidate, ignoring: page.ignoredFields) ?? .unavailable {
                case .unavailable: break
                case .changes(let json): changes = json
                case .noise:
                    outcome.suppressed[candidate.topic, default: 0] += 1
                    continue
                }
                try insertEvent.execute(arguments: [
                    candidate.id, candidate.topic, candidate.itemID, candidate.version, page.detectedAt,
                    candidate.item, page.workspaceID, changes, workspace,
                ])
                let event: StoredEvent
                // The outbox row's workspace is its event's (a lane's fair share, ``dueOutbox``).
                var eventWorkspace = workspace
                if db.changesCount > 0 {
                    event = StoredEvent(
                        seq: db.lastInsertedRowID, id: candidate.id, topic: candidate.topic, itemID: candidate.itemID,
                        version: candidate.version, detectedAt: page.detectedAt, item: candidate.item,
                        workspaceID: page.workspaceID, changes: changes)
                } else if let row = try Row.fetchOne(existingEvent, arguments: [candidate.id]) {
                    // Re-detected after a reset: the event is immutable, only its deliveries start over.
                    event = StoredEvent(row: row)
                    eventWorkspace = row[9]
                } else {
                    continue  // unreachable: the conflicting row exists inside this transaction
                }
                let covering = superseded.removeValue(forKey: candidate.itemID)
                if try snapshots?.remember(candidate, seq: event.seq, covering: covering) == true, let covering {
                    covered.insert(covering)
                }
                for (destination, route) in routes where route.takes(event.topic) {
                    if let matches = route.matches, !matches(event.item, event.changes) {
                        outcome.filtered[destination, default: 0] += 1
                        continue
                    }
                    // Due at once (0, as a replay queues): `detectedAt` is Intercom's clock, and a lane compares
                    // with the host's — a host behind Intercom would otherwise hold new events back by the skew.
                    try enqueue.execute(arguments: [destination, event.seq, 0, eventWorkspace])
                }
                outcome.queued.append(event)
            }
            try Self.count(outcome, workspace: page.workspace, in: db)
            for seen in page.seenOnly where !covered.contains(seen) {
                if try snapshots?.cover(seen) == true { continue }
                try markSeen.execute(arguments: [workspace, seen.topic, seen.itemID, seen.version, page.detectedAt])
            }
            try Self.advance(page.watermarks, passStartedAt: page.passStartedAt, workspace: page.workspace, in: db)
            switch page.resume {
            case .keep:
                break
            case .record(let point):
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO pass_resume (workspace, resource, field, pass_start, bound, newest, reached)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        workspace, point.resource.rawValue, point.field.rawValue, point.passStart, point.bound,
                        point.newest,
                        point.reached,
                    ])
            case .clear(let resource):
                try db.execute(
                    sql: "DELETE FROM pass_resume WHERE workspace = ? AND resource = ?",
                    arguments: [workspace, resource.rawValue])
                // A pass's last page: what the next pass over the resource would read, as this transaction left it.
                outcome.passState = try Self.passState(resource, in: page.workspace, db)
            }
            return outcome
        }
    }

    /// Adds the outcome's suppressed updates (of `workspace`'s topics) and filtered events (per destination) to
    /// the counts `status` shows.
    static func count(_ outcome: PageOutcome, workspace: StoreWorkspace, in db: Database) throws {
        for (topic, count) in outcome.suppressed {
            try db.execute(
                sql: """
                    UPDATE topic_state SET suppressed_updates = suppressed_updates + ? WHERE workspace = ? AND topic = ?
                    """,
                arguments: [count, workspace.id, topic])
        }
        for (destination, count) in outcome.filtered {
            try db.execute(
                sql: """
                    INSERT INTO destination_filtered (name, skipped) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET skipped = skipped + excluded.skipped
                    """,
                arguments: [destination, count])
        }
    }

    /// Moves `workspace`'s watermarks (and, with `passStartedAt`, the last pass's start) forward only; unknown
    /// topics are created at their watermark.
    static func advance(
        _ watermarks: [String: Int], passStartedAt: Int?, workspace: StoreWorkspace, in db: Database
    ) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO topic_state (workspace, topic, watermark, start_at, last_pass_start)
                VALUES (?4, ?1, ?2, ?2, ?3)
                ON CONFLICT (workspace, topic) DO UPDATE SET watermark = max(watermark, excluded.watermark),
                    last_pass_start = coalesce(
                        max(last_pass_start, excluded.last_pass_start), last_pass_start, excluded.last_pass_start)
                """)
        for (topic, watermark) in watermarks {
            try upsert.execute(arguments: [topic, watermark, passStartedAt, workspace.id])
        }
    }
}
