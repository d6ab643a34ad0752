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
