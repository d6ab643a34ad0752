extension SQLiteStore {
    // One daemon holds a SQLite store (its lock file): it is the only member and holds every lease, for good.

    func heartbeat(_ member: DaemonMember, ttl: Int) async throws -> [DaemonMember] { [member] }

    func leaveMembership(_ member: DaemonMember) async throws {}

    func claimLeases(_ workspaces: [StoreWorkspace], owner: String, ttl: Int) async throws -> [StoreWorkspace: Int64] {
        Dictionary(uniqueKeysWithValues: workspaces.map { ($0, 1) })
    }

    func releaseLeases(_ workspaces: [StoreWorkspace], owner: String) async throws {}

    func claimLaneLeases(_ destinations: [String], owner: String, ttl: Int) async throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: destinations.map { ($0, 1) })
    }

    func releaseLaneLeases(_ destinations: [String], owner: String) async throws {}

    func leases() async throws -> [WorkspaceLease] { [] }

    func members(within ttl: Int) async throws -> [DaemonMember] { [] }

    func laneLeases() async throws -> [LaneLease] { [] }
}
