extension StateStore {
    /// Whether several daemons may share this store (PostgreSQL): each workspace is then polled under a lease
    /// (``claimLeases(_:owner:ttl:)``) and every page's commit is fenced on it. A SQLite store has one daemon.
    public var isShared: Bool { backend is PostgresStore }

    /// Records `member`'s heartbeat (on the database's clock) and returns the live members — those whose last
    /// heartbeat is younger than `ttl` seconds — by id.
    public func heartbeat(_ member: DaemonMember, ttl: Int) async throws -> [DaemonMember] {
        try await backend.heartbeat(member, ttl: ttl)
    }

    /// Gives up every lease and outbox claim `member` holds and removes it from the members: a clean stop hands its
    /// workspaces and the rows its lanes took over at once instead of after the lease or the claims run out.
    public func leaveMembership(_ member: DaemonMember) async throws {
        try await backend.leaveMembership(member)
    }

    /// Takes or renews the leases of `workspaces` that are free, run out, or `owner`'s already, until `ttl` seconds
    /// from now on the database's clock; returns the epochs of those `owner` holds now. A take-over raises the epoch.
    public func claimLeases(_ workspaces: [StoreWorkspace], owner: String, ttl: Int) async throws
        -> [StoreWorkspace: Int64]
    {
        try await backend.claimLeases(workspaces, owner: owner, ttl: ttl)
    }

    /// Releases `owner`'s leases of `workspaces` (another daemon should poll them): free at once for the next claim.
    public func releaseLeases(_ workspaces: [StoreWorkspace], owner: String) async throws {
        try await backend.releaseLeases(workspaces, owner: owner)
    }

    /// Takes or renews the leases of the ordered `destinations` like ``claimLeases(_:owner:ttl:)``: one daemon at a
    /// time delivers an ordered destination.
    public func claimLaneLeases(_ destinations: [String], owner: String, ttl: Int) async throws -> [String: Int64] {
        try await backend.claimLaneLeases(destinations, owner: owner, ttl: ttl)
    }

    /// Releases `owner`'s leases of `destinations`.
    public func releaseLaneLeases(_ destinations: [String], owner: String) async throws {
        try await backend.releaseLaneLeases(destinations, owner: owner)
    }

    /// Every workspace's lease, by workspace (none for a SQLite store).
    public func leases() async throws -> [WorkspaceLease] {
        try await backend.leases()
    }

    /// The members whose last heartbeat is younger than `ttl` seconds, by host and pid (a read: no heartbeat of its
    /// own; none for a SQLite store).
    public func members(within ttl: Int) async throws -> [DaemonMember] {
        try await backend.members(within: ttl)
    }

    /// Every ordered destination's lane lease (none for a SQLite store).
    public func laneLeases() async throws -> [LaneLease] {
        try await backend.laneLeases()
    }

    /// Calls `onChange` whenever a process sharing this store queues or re-queues deliveries (a commit with events,
    /// an admin's write), until cancelled or the connection is lost (it throws then). A SQLite store has no other
    /// daemon: this returns at once.
    public func listenForOutboxChanges(_ onChange: @escaping @Sendable () -> Void) async throws {
        guard let postgres = backend as? PostgresStore else { return }
        try await postgres.listenForOutboxChanges(onChange)
    }
}
