extension StateStore {
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
    public func commitPage(_ page: PageCommit, routes: OutboxRoutes) async throws -> [StoredEvent] {
        try await commit(page, routes: routes).queued
    }

    /// Commits one page like ``commitPage(_:routes:)`` and also says which updates were suppressed as noise
    /// (only ``PageCommit/ignoredFields`` changed: seen, counted per topic, no event) and which events a
    /// destination's filter skipped (no outbox row there; counted per destination). Both counts are kept in the
    /// store for `status` in the same transaction.
    public func commit(_ page: PageCommit, routes: OutboxRoutes) async throws -> PageOutcome {
        try await backend.commit(page, routes: routes)
    }
}
