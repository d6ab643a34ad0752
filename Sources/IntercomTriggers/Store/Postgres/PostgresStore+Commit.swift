import Foundation
import PostgresNIO

extension PostgresStore {
    /// Commits one page in one transaction, with the SQLite store's meaning (``SQLiteStore/commit(_:routes:)``): the
    /// roles first (one statement each for the page), then the candidates in page order — seen marks, snapshot
    /// comparisons, events, snapshots, outbox rows; one statement per table for each run of candidates that need
    /// no comparison — then the seen-only versions, counts, watermarks and resume point.
    func commit(_ page: PageCommit, routes: OutboxRoutes) async throws -> PageOutcome {
        let routes = routes.sorted { $0.key < $1.key }
        let workspace = page.workspace.id
        return try await write("commit page") { [logger] connection in
            if let fence = page.fence {
                try await Self.checkFence(fence, workspace: page.workspace, connection, logger)
            }
            try await Self.rememberRoles(page, connection, logger)
            let codec = page.keepsSnapshots ? SnapshotCodec() : nil
            // The update versions a created event of the same sighting superseded: the snapshot stands for them.
            var superseded: [String: SeenVersion] = [:]
            if page.keepsSnapshots {
                for seen in page.seenOnly where TopicCatalog.changeTopics.contains(seen.topic) {
                    superseded[seen.itemID] = seen
                }
            }
            var covered = Set<SeenVersion>()
            var outcome = PageOutcome()
            // Runs of candidates that need no comparison and name distinct items go in a few statements for the
            // whole run (their order between them cannot matter); an update compared with its snapshot, or an item
            // met again, goes alone, in page order.
            var index = page.events.startIndex
            while index < page.events.endIndex {
                var run: [NewEvent] = []
                var items = Set<String>()
                while index < page.events.endIndex,
                    codec == nil || !TopicCatalog.changeTopics.contains(page.events[index].topic),
                    items.insert(page.events[index].itemID).inserted
                {
                    run.append(page.events[index])
                    index += 1
                }
                if !run.isEmpty {
                    try await Self.storeRun(
                        run, page: page, routes: routes, superseded: &superseded, covered: &covered,
                        outcome: &outcome, connection, logger)
                    continue
                }
                try await Self.storeOne(
                    page.events[index], page: page, codec: codec, routes: routes, superseded: &superseded,
                    covered: &covered, outcome: &outcome, connection, logger)
                index += 1
            }
            try await Self.count(outcome, workspace: page.workspace, connection, logger)
            // The other daemons' lanes may take these rows: wake them at commit.
            if !outcome.queued.isEmpty { try await connection.run(Self.notifyOutbox, logger: logger) }
            var marks: [SeenVersion] = []
            for seen in page.seenOnly where !covered.contains(seen) {
                if page.keepsSnapshots, TopicCatalog.changeTopics.contains(seen.topic) {
                    let covers = try await connection.changes(
                        """
                        UPDATE item_role SET covers_topic = \(seen.topic), covers_version = \(seen.version)
                        WHERE workspace = \(workspace) AND item_id = \(seen.itemID) AND snapshot_version IS NOT NULL
                            AND covers_topic IS NULL
                        RETURNING 1
                        """, logger)
                    if covers > 0 { continue }
                }
                marks.append(seen)
            }
            if !marks.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO seen_version (workspace, topic, item_id, version, seen_at)
                    SELECT \(workspace), topic, item_id, version, \(page.detectedAt)
                    FROM unnest(\(marks.map(\.topic))::text[], \(marks.map(\.itemID))::text[],
                        \(marks.map(\.version))::bigint[]) AS given (topic, item_id, version)
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await Self.advance(
                page.watermarks, passStartedAt: page.passStartedAt, workspace: page.workspace, connection, logger)
            switch page.resume {
            case .keep:
                break
            case .record(let point):
                try await connection.run(
                    """
                    INSERT INTO pass_resume (workspace, resource, field, pass_start, bound, newest, reached)
                    VALUES (\(workspace), \(point.resource.rawValue), \(point.field.rawValue), \(point.passStart),
                        \(point.bound), \(point.newest)::bigint, \(point.reached))
                    ON CONFLICT (workspace, resource) DO UPDATE SET field = excluded.field,
                        pass_start = excluded.pass_start, bound = excluded.bound, newest = excluded.newest,
                        reached = excluded.reached
                    """, logger: logger)
            case .clear(let resource):
                try await connection.run(
                    "DELETE FROM pass_resume WHERE workspace = \(workspace) AND resource = \(resource.rawValue)",
                    logger: logger)
                // A pass's last page: what the next pass over the resource would read, as this transaction left it.
                outcome.passState = try await Self.passState(resource, in: page.workspace, connection, logger)
            }
            return outcome
        }
    }

    /// A candidate stored on its own (an update compared with its contact's snapshot, or an item the page names
    /// again): seen mark, comparison, event, snapshot, outbox rows.
    private static func storeOne(
        _ candidate: NewEvent, page: PageCommit, codec: SnapshotCodec?, routes: [(key: String, value: OutboxRoute)],
        superseded: inout [String: SeenVersion], covered: inout Set<SeenVersion>, outcome: inout PageOutcome,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let workspace = page.workspace.id
        let marked = try await connection.changes(
            """
            INSERT INTO seen_version (workspace, topic, item_id, version, seen_at)
            VALUES (\(workspace), \(candidate.topic), \(candidate.itemID), \(candidate.version), \(page.detectedAt))
            ON CONFLICT DO NOTHING
            RETURNING 1
            """, logger)
        guard marked > 0 else { return }
        var changes: Data?
        if let codec {
            switch try await Self.compare(candidate, page: page, codec: codec, connection, logger) {
            case .unavailable: break
            case .changes(let json): changes = json
            case .noise:
                outcome.suppressed[candidate.topic, default: 0] += 1
                return
            }
        }
        var eventWorkspace = workspace
        let event: StoredEvent
        if let seq = try await connection.one(
            """
            INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id, changes, workspace)
            VALUES (\(candidate.id), \(candidate.topic), \(candidate.itemID), \(candidate.version),
                \(page.detectedAt), \(candidate.item), \(page.workspaceID)::text, \(changes)::bytea, \(workspace))
            ON CONFLICT (id) DO NOTHING
            RETURNING seq
            """, Int64.self, logger)
        {
            event = StoredEvent(
                seq: seq, id: candidate.id, topic: candidate.topic, itemID: candidate.itemID,
                version: candidate.version, detectedAt: page.detectedAt, item: candidate.item,
                workspaceID: page.workspaceID, changes: changes)
        } else if let known = try await Self.existingEvents([candidate.id], connection, logger)[candidate.id] {
            (event, eventWorkspace) = known
        } else {
            return  // unreachable: the conflicting row exists inside this transaction
        }
        let covering = superseded.removeValue(forKey: candidate.itemID)
        if page.keepsSnapshots, candidate.topic.hasPrefix("contact.") {
            let moved = try await Self.moveSnapshots(
                [(candidate.itemID, candidate.version, event.seq, covering)], workspace: page.workspace, connection,
                logger)
            if !moved.isEmpty, let covering { covered.insert(covering) }
        }
        try await Self.queue(
            [(event.seq, eventWorkspace, Self.destinations(of: event, routes: routes, outcome: &outcome))], connection,
            logger)
        outcome.queued.append(event)
    }

    /// Candidates that need no comparison and name distinct items, stored with one statement per table — seen
    /// marks, events (seqs in page order), snapshots, outbox rows — where ``storeOne`` takes four per candidate.
    private static func storeRun(
        _ run: [NewEvent], page: PageCommit, routes: [(key: String, value: OutboxRoute)],
        superseded: inout [String: SeenVersion], covered: inout Set<SeenVersion>, outcome: inout PageOutcome,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let workspace = page.workspace.id
        let marked = Set(
            try await connection.all(
                """
                INSERT INTO seen_version (workspace, topic, item_id, version, seen_at)
                SELECT \(workspace), topic, item_id, version, \(page.detectedAt)
                FROM unnest(\(run.map(\.topic))::text[], \(run.map(\.itemID))::text[],
                    \(run.map(\.version))::bigint[]) AS given (topic, item_id, version)
                ON CONFLICT DO NOTHING
                RETURNING topic, item_id, version
                """, (String, String, Int).self, logger
            ).map { SeenVersion(topic: $0.0, itemID: $0.1, version: $0.2) })
        let fresh = run.filter { marked.contains(SeenVersion(topic: $0.topic, itemID: $0.itemID, version: $0.version)) }
        guard !fresh.isEmpty else { return }
        var seqs: [String: Int64] = [:]
        for (id, seq) in try await connection.all(
            """
            INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace_id, workspace)
            SELECT id, topic, item_id, version, \(page.detectedAt), item, \(page.workspaceID)::text, \(workspace)
            FROM unnest(\(fresh.map(\.id))::text[], \(fresh.map(\.topic))::text[], \(fresh.map(\.itemID))::text[],
                \(fresh.map(\.version))::bigint[], \(fresh.map { ByteBuffer(bytes: $0.item) })::bytea[])
                WITH ORDINALITY AS given (id, topic, item_id, version, item, position)
            ORDER BY position
            ON CONFLICT (id) DO NOTHING
            RETURNING id, seq
            """, (String, Int64).self, logger)
        {
            seqs[id] = seq
        }
        let existing = try await Self.existingEvents(fresh.map(\.id).filter { seqs[$0] == nil }, connection, logger)
        var snapshots: [(itemID: String, version: Int, seq: Int64, covering: SeenVersion?)] = []
        var queue: [(seq: Int64, workspace: Int64, destinations: [String])] = []
        for candidate in fresh {
            let event: StoredEvent
            var eventWorkspace = workspace
            if let seq = seqs[candidate.id] {
                event = StoredEvent(
                    seq: seq, id: candidate.id, topic: candidate.topic, itemID: candidate.itemID,
                    version: candidate.version, detectedAt: page.detectedAt, item: candidate.item,
                    workspaceID: page.workspaceID, changes: nil)
            } else if let known = existing[candidate.id] {
                (event, eventWorkspace) = known
            } else {
                continue  // unreachable: the conflicting row exists inside this transaction
            }
            let covering = superseded.removeValue(forKey: candidate.itemID)
            if page.keepsSnapshots, candidate.topic.hasPrefix("contact.") {
                snapshots.append((candidate.itemID, candidate.version, event.seq, covering))
            }
            queue.append((event.seq, eventWorkspace, Self.destinations(of: event, routes: routes, outcome: &outcome)))
            outcome.queued.append(event)
        }
        let moved = try await Self.moveSnapshots(snapshots, workspace: page.workspace, connection, logger)
        for snapshot in snapshots where moved.contains(snapshot.itemID) {
            if let covering = snapshot.covering { covered.insert(covering) }
        }
        try await Self.queue(queue, connection, logger)
    }

    /// The stored events (and their workspaces) of `ids` that exist: events re-detected after a reset, immutable;
    /// only their deliveries start over.
    private static func existingEvents(_ ids: [String], _ connection: PostgresConnection, _ logger: Logger)
        async throws -> [String: (event: StoredEvent, workspace: Int64)]
    {
        guard !ids.isEmpty else { return [:] }
        var found: [String: (event: StoredEvent, workspace: Int64)] = [:]
        for row in try await connection.all(
            "SELECT \(unescaped: Self.eventColumns), event.workspace FROM event WHERE id = ANY(\(ids)::text[])",
            (Int64, String, String, String, Int, Int, Data, String?, Data?, Int64).self, logger)
        {
            found[row.1] = (Self.storedEvent((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8)), row.9)
        }
        return found
    }

    /// Moves each contact's snapshot to its new event, never back to an older version (a created event after an
    /// update, a re-read after a reset), recording the superseded update it covers; returns the contacts moved. The
    /// items must be distinct. Arrays carry no NULLs: '' and -1 stand for "covers nothing".
    private static func moveSnapshots(
        _ snapshots: [(itemID: String, version: Int, seq: Int64, covering: SeenVersion?)], workspace: StoreWorkspace,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Set<String> {
        guard !snapshots.isEmpty else { return [] }
        return Set(
            try await connection.all(
                """
                UPDATE item_role r SET snapshot_version = given.version, snapshot_item = NULL,
                    snapshot_event_seq = given.seq, covers_topic = nullif(given.covers_topic, ''),
                    covers_version = nullif(given.covers_version, -1)
                FROM unnest(\(snapshots.map(\.itemID))::text[], \(snapshots.map(\.version))::bigint[],
                    \(snapshots.map(\.seq))::bigint[], \(snapshots.map { $0.covering?.topic ?? "" })::text[],
                    \(snapshots.map { $0.covering?.version ?? -1 })::bigint[])
                    AS given (item_id, version, seq, covers_topic, covers_version)
                WHERE r.workspace = \(workspace.id) AND r.item_id = given.item_id
                    AND coalesce(r.snapshot_version <= given.version, TRUE)
                RETURNING r.item_id
                """, String.self, logger))
    }

    /// The destinations `event` goes to: those taking its topic whose filter (if any) it matches; the others'
    /// skips are counted in `outcome`.
    private static func destinations(
        of event: StoredEvent, routes: [(key: String, value: OutboxRoute)], outcome: inout PageOutcome
    ) -> [String] {
        var destinations: [String] = []
        for (destination, route) in routes where route.takes(event.topic) {
            if let matches = route.matches, !matches(event.item, event.changes) {
                outcome.filtered[destination, default: 0] += 1
                continue
            }
            destinations.append(destination)
        }
        return destinations
    }

    /// Queues (or re-queues) each event's outbox rows, due at once (0), as in the SQLite store: `detectedAt` is
    /// Intercom's clock, not the host's.
    private static func queue(
        _ events: [(seq: Int64, workspace: Int64, destinations: [String])], _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        let rows = events.flatMap { event in event.destinations.map { (event.seq, event.workspace, $0) } }
        guard !rows.isEmpty else { return }
        try await connection.run(
            """
            INSERT INTO outbox (destination, event_seq, state, attempts, next_attempt_at, workspace)
            SELECT destination, event_seq, 'pending', 0, 0, workspace
            FROM unnest(\(rows.map(\.2))::text[], \(rows.map(\.0))::bigint[], \(rows.map(\.1))::bigint[])
                AS given (destination, event_seq, workspace)
            ON CONFLICT (destination, event_seq) DO UPDATE SET
                state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                first_sent_at = NULL, last_attempt_at = NULL, last_status = NULL, last_error = NULL,
                delivered_at = NULL, claimed_by = NULL, claimed_until = NULL
            """, logger: logger)
    }

    /// The page's contacts' roles, in two statements: a changed role first keeps what it was before this version
    /// (for re-reads of this version), then every role row is written.
    private static func rememberRoles(_ page: PageCommit, _ connection: PostgresConnection, _ logger: Logger)
        async throws
    {
        guard !page.roles.isEmpty else { return }
        let sightings = page.roles.sorted { $0.key < $1.key }
        let items = sightings.map(\.key)
        let versions = sightings.map(\.value.version)
        let roles = sightings.map(\.value.role)
        let workspace = page.workspace.id
        try await connection.run(
            """
            INSERT INTO item_role_change (workspace, item_id, version, from_role, from_was_lead)
            SELECT r.workspace, r.item_id, given.version, r.role, r.was_lead
            FROM unnest(\(items)::text[], \(versions)::bigint[], \(roles)::text[]) AS given (item_id, version, role)
            JOIN item_role r ON r.workspace = \(workspace) AND r.item_id = given.item_id AND r.role <> given.role
            ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.run(
            """
            INSERT INTO item_role (workspace, item_id, role, was_lead, first_version)
            SELECT \(workspace), item_id, role, role = 'lead', version
            FROM unnest(\(items)::text[], \(versions)::bigint[], \(roles)::text[]) AS given (item_id, version, role)
            ON CONFLICT (workspace, item_id) DO UPDATE SET
                role = excluded.role, was_lead = item_role.was_lead OR excluded.was_lead
            """, logger: logger)
    }

    /// How `candidate` compares with its contact's snapshot (only updates are compared).
    private static func compare(
        _ candidate: NewEvent, page: PageCommit, codec: SnapshotCodec, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> SnapshotComparison {
        guard TopicCatalog.changeTopics.contains(candidate.topic),
            let row = try await connection.one(
                """
                SELECT r.snapshot_version, r.snapshot_item, e.item
                FROM item_role r LEFT JOIN event e ON e.seq = r.snapshot_event_seq
                WHERE r.workspace = \(page.workspace.id) AND r.item_id = \(candidate.itemID)
                    AND r.snapshot_version IS NOT NULL
                """, (Int, Data?, Data?).self, logger),
            row.0 <= candidate.version
        else { return .unavailable }
        // The snapshot's item: its event's, or the deflated copy once that event was pruned.
        let previous = row.2 ?? row.1.flatMap(codec.decode)
        return SnapshotComparison(candidate, previous: previous, ignoring: page.ignoredFields)
    }

    /// Adds the outcome's suppressed updates and filtered events to the counts `status` shows.
    private static func count(
        _ outcome: PageOutcome, workspace: StoreWorkspace, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        for (topic, count) in outcome.suppressed.sorted(by: { $0.key < $1.key }) {
            try await connection.run(
                """
                UPDATE topic_state SET suppressed_updates = suppressed_updates + \(count)
                WHERE workspace = \(workspace.id) AND topic = \(topic)
                """, logger: logger)
        }
        for (destination, count) in outcome.filtered.sorted(by: { $0.key < $1.key }) {
            try await connection.run(
                """
                INSERT INTO destination_filtered (name, skipped) VALUES (\(destination), \(count))
                ON CONFLICT (name) DO UPDATE SET skipped = destination_filtered.skipped + excluded.skipped
                """, logger: logger)
        }
    }

    /// Moves `workspace`'s watermarks (and, with `passStartedAt`, the last pass's start) forward only; unknown
    /// topics are created at their watermark.
    private static func advance(
        _ watermarks: [String: Int], passStartedAt: Int?, workspace: StoreWorkspace, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        guard !watermarks.isEmpty else { return }
        let topics = watermarks.keys.sorted()
        let values = topics.map { watermarks[$0] ?? 0 }
        try await connection.run(
            """
            INSERT INTO topic_state (workspace, topic, watermark, start_at, last_pass_start)
            SELECT \(workspace.id), topic, watermark, watermark, \(passStartedAt)::bigint
            FROM unnest(\(topics)::text[], \(values)::bigint[]) AS given (topic, watermark)
            ON CONFLICT (workspace, topic) DO UPDATE SET
                watermark = greatest(topic_state.watermark, excluded.watermark),
                last_pass_start = coalesce(
                    greatest(topic_state.last_pass_start, excluded.last_pass_start), topic_state.last_pass_start,
                    excluded.last_pass_start)
            """, logger: logger)
    }
}
