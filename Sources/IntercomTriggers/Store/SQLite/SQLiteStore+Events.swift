import GRDB

extension SQLiteStore {
    /// Events after `afterSeq` in seq order — optionally of one `topic`, detected at or after `since`, and of one
    /// `workspace` — at most `limit`: what `tail` prints, and its cursor for `--follow`.
    func events(
        afterSeq: Int64, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace? = nil
    ) async throws -> [StoredEvent] {
        try await read("read events") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(StoredEvent.columns) FROM event
                    WHERE seq > ?1 AND (?2 IS NULL OR topic = ?2) AND (?3 IS NULL OR detected_at >= ?3)
                        AND (?5 IS NULL OR workspace = ?5)
                    ORDER BY seq
                    LIMIT ?4
                    """,
                arguments: [afterSeq, topic, since, limit, workspace?.id]
            ).map { StoredEvent(row: $0) }
        }
    }

    /// One writer commits at a time: seq order is commit order.
    func followEvents(
        after cursor: EventCursor, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace?
    ) async throws -> (events: [StoredEvent], cursor: EventCursor) {
        let events = try await events(
            afterSeq: cursor.seq, topic: topic, since: since, limit: limit, workspace: workspace)
        return (events, events.last.map { EventCursor(seq: $0.seq) } ?? cursor)
    }

    /// The event with id `id`, if the store still has it.
    func event(id: String) async throws -> StoredEvent? {
        try await read("read event") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoredEvent.columns) FROM event WHERE id = ?", arguments: [id])
                .map { StoredEvent(row: $0) }
        }
    }

    /// The highest seq ever handed out (0 for a new store): where `tail --follow` starts without `--since`.
    func lastEventSeq() async throws -> Int64 {
        try await read("read last seq") { db in
            // sqlite_sequence remembers the high-water mark even after the newest events were pruned.
            try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") ?? 0
        }
    }
}
