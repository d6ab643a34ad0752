import Foundation
import PostgresNIO

extension PostgresStore {
    /// The columns ``storedEvent(_:)`` decodes, qualified for joins.
    static let eventColumns =
        "event.seq, event.id, event.topic, event.item_id, event.version, event.detected_at, event.item, "
        + "event.workspace_id, event.changes"

    /// The row types of ``eventColumns``.
    typealias EventRow = (Int64, String, String, String, Int, Int, Data, String?, Data?)

    static func storedEvent(_ row: EventRow) -> StoredEvent {
        StoredEvent(
            seq: row.0, id: row.1, topic: row.2, itemID: row.3, version: row.4, detectedAt: row.5, item: row.6,
            workspaceID: row.7, changes: row.8)
    }

    func events(
        afterSeq: Int64, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace?
    ) async throws -> [StoredEvent] {
        try await read("read events") { [logger] connection in
            try await connection.all(
                """
                SELECT \(unescaped: Self.eventColumns) FROM event
                WHERE seq > \(afterSeq) AND (\(topic)::text IS NULL OR topic = \(topic))
                    AND (\(since)::bigint IS NULL OR detected_at >= \(since))
                    AND (\(workspace?.id)::bigint IS NULL OR workspace = \(workspace?.id))
                ORDER BY seq
                LIMIT \(max(0, limit))
                """, EventRow.self, logger
            ).map(Self.storedEvent)
        }
    }

    /// Events in the order their transactions began, only from transactions older than every one still running
    /// (``followHorizon``): no commit can later land behind the cursor, however many daemons commit at once. An
    /// event shows once every transaction of this database that began before its own has ended.
    func followEvents(
        after cursor: EventCursor, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace?
    ) async throws -> (events: [StoredEvent], cursor: EventCursor) {
        try await read("follow events") { [logger] connection in
            let horizon: Int64 = try await connection.one(Self.followHorizon, Int64.self, logger) ?? Int64(0)
            let rows = try await connection.all(
                """
                SELECT \(unescaped: Self.eventColumns), event.txid FROM event
                WHERE (txid, seq) > (\(cursor.transaction), \(cursor.seq)) AND txid < \(horizon)
                    AND (\(topic)::text IS NULL OR topic = \(topic))
                    AND (\(since)::bigint IS NULL OR detected_at >= \(since))
                    AND (\(workspace?.id)::bigint IS NULL OR workspace = \(workspace?.id))
                ORDER BY txid, seq
                LIMIT \(max(0, limit))
                """, (Int64, String, String, String, Int, Int, Data, String?, Data?, Int64).self, logger)
            let events = rows.map { Self.storedEvent(($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6, $0.7, $0.8)) }
            guard let last = rows.last else { return (events, cursor) }
            return (events, EventCursor(seq: last.0, transaction: last.9))
        }
    }

    /// The oldest transaction still running when the read's snapshot was taken (every older one has ended), not
    /// counting those `pg_stat_activity` shows in other databases of the cluster: another application's long
    /// transaction must not hold `tail --follow` back. A transaction it cannot place (ended meanwhile, or hidden
    /// from a user without pg_read_all_stats) counts: the horizon only errs early. `backend_xid` is the 32-bit
    /// form of the snapshot's 64-bit ids.
    static let followHorizon: PostgresQuery = """
        WITH snap AS (SELECT pg_current_snapshot() AS s),
        elsewhere AS (
            SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity
            WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
        )
        SELECT coalesce(
            (SELECT min(x::text::bigint) FROM snap, pg_snapshot_xip(snap.s) AS x
             WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid FROM elsewhere)),
            (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap))
        """

    func event(id: String) async throws -> StoredEvent? {
        try await read("read event") { [logger] connection in
            try await connection.one(
                "SELECT \(unescaped: Self.eventColumns) FROM event WHERE id = \(id)", EventRow.self, logger
            ).map(Self.storedEvent)
        }
    }

    func lastEventSeq() async throws -> Int64 {
        try await read("read last seq") { [logger] connection in
            // The identity's sequence remembers the high-water mark even after the newest events were pruned.
            try await connection.one(
                """
                SELECT CASE WHEN is_called THEN last_value ELSE 0 END
                FROM event_seq_seq
                """, Int64.self, logger) ?? 0
        }
    }
}
