extension StateStore {
    /// The outbox rows of one workspace's events still to deliver and given up on, summed over destinations.
    public struct WorkspaceOutboxCounts: Sendable, Hashable {
        /// Rows waiting for their first or next attempt.
        public var pending: Int
        /// Dead letters.
        public var dead: Int
    }

    /// Every workspace's topics, by topic, for the workspaces that have any: what `status` summarises, in one read
    /// rather than one per workspace.
    public func topicStatesByWorkspace() async throws -> [StoreWorkspace: [TopicState]] {
        try await backend.topicStatesByWorkspace()
    }

    /// Pending and dead outbox rows per workspace (of its events; workspaces with neither are absent), in one read.
    public func outboxCountsByWorkspace() async throws -> [StoreWorkspace: WorkspaceOutboxCounts] {
        try await backend.outboxCountsByWorkspace()
    }
}
