extension StateStore {
    /// Events after `afterSeq` in seq order — optionally of one `topic`, detected at or after `since`, and of one
    /// `workspace` — at most `limit`: what `tail` prints, and its cursor for `--follow`.
    public func events(afterSeq: Int64, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace? = nil)
        async throws -> [StoredEvent]
    {
        try await backend.events(afterSeq: afterSeq, topic: topic, since: since, limit: limit, workspace: workspace)
    }

    /// The events after `cursor` (optionally of one `topic`, detected at or after `since`, of one `workspace`), at
    /// most `limit`, and the cursor for the next call: what `tail --follow` reads. Unlike ``events(afterSeq:topic:since:limit:workspace:)``
    /// no event committed later can fall behind the cursor, even when several daemons commit at once.
    public func followEvents(
        after cursor: EventCursor, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace? = nil
    ) async throws -> (events: [StoredEvent], cursor: EventCursor) {
        try await backend.followEvents(after: cursor, topic: topic, since: since, limit: limit, workspace: workspace)
    }

    /// The event with id `id`, if the store still has it.
    public func event(id: String) async throws -> StoredEvent? {
        try await backend.event(id: id)
    }

    /// The highest seq ever handed out (0 for a new store): where `tail --follow` starts without `--since`.
    public func lastEventSeq() async throws -> Int64 {
        try await backend.lastEventSeq()
    }
}
