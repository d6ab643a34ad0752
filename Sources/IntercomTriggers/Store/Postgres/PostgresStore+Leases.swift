import PostgresNIO

extension PostgresStore {
    func heartbeat(_ member: DaemonMember, ttl: Int) async throws -> [DaemonMember] {
        try await write("heartbeat") { connection in
            try await connection.run(
                """
                INSERT INTO daemon_member (id, host, pid) VALUES (\(member.id), \(member.host), \(member.pid))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
                """, logger: logger)
            // Members silent for ten leases are gone for good: their rows go (their leases ran out long ago).
            try await connection.run(
                "DELETE FROM daemon_member WHERE heartbeat_at < now() - make_interval(secs => \(ttl * 10))",
                logger: logger)
            return try await connection.all(
                """
                SELECT id, host, pid, extract(epoch FROM heartbeat_at)::bigint FROM daemon_member
                WHERE heartbeat_at > now() - make_interval(secs => \(ttl))
                ORDER BY id
                """, (String, String, Int, Int).self, logger
            ).map { DaemonMember(id: $0.0, host: $0.1, pid: $0.2, heartbeatAt: $0.3) }
        }
    }

    func leaveMembership(_ member: DaemonMember) async throws {
        try await write("leave") { connection in
            try await connection.run(
                """
                UPDATE workspace_lease SET owner = NULL, expires_at = '-infinity' WHERE owner = \(member.id)
                """, logger: logger)
            try await connection.run("DELETE FROM daemon_member WHERE id = \(member.id)", logger: logger)
        }
    }

    func claimLeases(_ workspaces: [StoreWorkspace], owner: String, ttl: Int) async throws -> [StoreWorkspace: Int64] {
        guard !workspaces.isEmpty else { return [:] }
        return try await write("claim leases") { connection in
            // A lease free, run out, or already this owner's is taken (or renewed) until now + ttl; the epoch rises
            // unless this owner renews a lease it still held, so whatever a former holder still has in flight is
            // refused by the fence.
            try await connection.all(
                """
                INSERT INTO workspace_lease (workspace, owner, epoch, expires_at)
                SELECT id, \(owner), 1, now() + make_interval(secs => \(ttl))
                FROM unnest(\(workspaces.map(\.id))::bigint[]) AS given (id)
                ON CONFLICT (workspace) DO UPDATE SET
                    owner = excluded.owner,
                    epoch = CASE WHEN workspace_lease.owner = excluded.owner AND workspace_lease.expires_at > now()
                        THEN workspace_lease.epoch ELSE workspace_lease.epoch + 1 END,
                    expires_at = excluded.expires_at
                WHERE workspace_lease.owner IS NULL OR workspace_lease.owner = excluded.owner
                    OR workspace_lease.expires_at <= now()
                RETURNING workspace, epoch
                """, (Int64, Int64).self, logger
            ).reduce(into: [:]) { $0[StoreWorkspace(id: $1.0)] = $1.1 }
        }
    }

    func releaseLeases(_ workspaces: [StoreWorkspace], owner: String) async throws {
        guard !workspaces.isEmpty else { return }
        try await write("release leases") { connection in
            try await connection.run(
                """
                UPDATE workspace_lease SET owner = NULL, expires_at = '-infinity'
                WHERE workspace = ANY(\(workspaces.map(\.id))::bigint[]) AND owner = \(owner)
                """, logger: logger)
        }
    }

    func leases() async throws -> [WorkspaceLease] {
        try await read("read leases") { connection in
            try await connection.all(
                """
                SELECT workspace, owner, epoch,
                    CASE WHEN expires_at = '-infinity' THEN 0 ELSE extract(epoch FROM expires_at)::bigint END,
                    expires_at <= now()
                FROM workspace_lease ORDER BY workspace
                """, (Int64, String?, Int64, Int, Bool).self, logger
            ).map {
                WorkspaceLease(
                    workspace: StoreWorkspace(id: $0.0), owner: $0.1, epoch: $0.2, expiresAt: $0.3, expired: $0.4)
            }
        }
    }

    /// Fails the transaction unless `fence` still holds `workspace`'s lease: locks the lease row for the rest of the
    /// transaction, so a take-over waits for this commit and then raises the epoch.
    static func checkFence(
        _ fence: LeaseFence, workspace: StoreWorkspace, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let held = try await connection.one(
            """
            SELECT 1 FROM workspace_lease
            WHERE workspace = \(workspace.id) AND owner = \(fence.owner) AND epoch = \(fence.epoch)
                AND expires_at > now()
            FOR SHARE
            """, Int.self, logger)
        guard held != nil else { throw StoreError.fenced(workspace: workspace.id, epoch: fence.epoch) }
    }
}
