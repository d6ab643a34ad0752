extension StateStore {
    /// Forgets the snapshots of `workspace`'s contacts `itemIDs` (seen deleted); returns how many there were. A
    /// superseded version a snapshot stood for stays seen (trigger `item_role_settle_cover`).
    @discardableResult
    public func forgetSnapshots(of itemIDs: [String], in workspace: StoreWorkspace = .first) async throws -> Int {
        try await backend.forgetSnapshots(of: itemIDs, in: workspace)
    }

    /// Drops every snapshot of `workspace`: while no update topic of contacts runs, snapshots would only go stale
    /// (and an update topic enabled later would compare with months-old versions); returns how many there were.
    @discardableResult
    public func dropSnapshots(in workspace: StoreWorkspace = .first) async throws -> Int {
        try await backend.dropSnapshots(in: workspace)
    }

    /// How many contacts of `workspace` have a snapshot.
    public func snapshotCount(in workspace: StoreWorkspace = .first) async throws -> Int {
        try await backend.snapshotCount(in: workspace)
    }
}
