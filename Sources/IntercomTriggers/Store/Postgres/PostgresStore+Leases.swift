import PostgresNIO

extension PostgresStore {
    /// How long a renewal's statements may take: a lease keeper stuck on a lost server would let its leases run out
    /// without trying again.
    static let leaseTimeout: Duration = .seconds(5)

    func heartbeat(_ member: DaemonMember, ttl: Int) async throws -> [DaemonMember] {
        try await write("heartbeat", timeout: Self.leaseTimeout) { [logger] connection in
            let workspaces = member.workspaces.map { $0.sorted() }
            let lanes = member.lanes.map { $0.sorted() }
            try await connection.run(
                """
                INSERT INTO daemon_member (id, host, pid, workspaces, lanes)
                VALUES (\(member.id), \(member.host), \(member.pid), \(workspaces)::bigint[], \(lanes)::text[])
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), workspaces = excluded.workspaces,
                    lanes = excluded.lanes
                """, logger: logger)
            // Members silent for ten leases are gone for good: their rows go (their leases ran out long ago).
            try await connection.run(
                "DELETE FROM daemon_member WHERE heartbeat_at < now() - make_interval(secs => \(ttl * 10))",
                logger: logger)
            return try await connection.all(
                """
                SELECT id, host, pid, extract(epoch FROM heartbeat_at)::bigint,
                    extract(epoch FROM heartbeat_at + make_interval(secs => \(ttl)) - now())::float8,
                    workspaces IS NOT NULL, coalesce(workspaces, '{}'), lanes IS NOT NULL, coalesce(lanes, '{}')
                FROM daemon_member
                WHERE heartbeat_at > now() - make_interval(secs => \(ttl))
                ORDER BY id
                """, (String, String, Int, Int, Double, Bool, [Int64], Bool, [String]).self, logger
            ).map {
                DaemonMember(
                    id: $0.0, host: $0.1, pid: $0.2, heartbeatAt: $0.3, expiresIn: .milliseconds(Int($0.4 * 1000)),
                    workspaces: $0.5 ? Set($0.6) : nil, lanes: $0.7 ? Set($0.8) : nil)
            }
        }
    }

    func leaveMembership(_ member: DaemonMember) async throws {
        try await write("leave") { [logger] connection in
            for table in ["workspace_lease", "lane_lease"] {
                try await connection.run(
                    """
                    UPDATE \(unescaped: table) SET owner = NULL, expires_at = '-infinity' WHERE owner = \(member.id)
                    """, logger: logger)
            }
            // Rows its lanes took and never attempted go back at once (a stop mid-turn), not when the claims run out.
            try await connection.run(
                "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = \(member.id)",
                logger: logger)
            try await connection.run(Self.notifyOutbox, logger: logger)
            try await connection.run("DELETE FROM daemon_member WHERE id = \(member.id)", logger: logger)
        }
    }

    func claimLeases(_ workspaces: [StoreWorkspace], owner: String, ttl: Int) async throws -> [StoreWorkspace: Int64] {
        let epochs = try await claim(
            "workspace_lease", key: "workspace", type: "bigint", workspaces.map { String($0.id) }, owner: owner,
            ttl: ttl)
        return epochs.reduce(into: [:]) { if let id = Int64($1.key) { $0[StoreWorkspace(id: id)] = $1.value } }
    }

    func releaseLeases(_ workspaces: [StoreWorkspace], owner: String) async throws {
        try await release(
            "workspace_lease", key: "workspace", type: "bigint", workspaces.map { String($0.id) }, owner: owner)
    }

    func claimLaneLeases(_ destinations: [String], owner: String, ttl: Int) async throws -> [String: Int64] {
        try await claim("lane_lease", key: "destination", type: "text", destinations, owner: owner, ttl: ttl)
    }

    func releaseLaneLeases(_ destinations: [String], owner: String) async throws {
        try await release("lane_lease", key: "destination", type: "text", destinations, owner: owner)
    }

    /// Takes or renews the leases of `keys` in `table` (keyed by `key` of SQL type `type`) that are free, run out
    /// or `owner`'s, until now + `ttl`; the epoch rises unless `owner` renews a lease it still held, so whatever a
    /// former holder still has in flight is refused by the fence. Returns the epochs `owner` holds, by key as text.
    private func claim(
        _ table: String, key: String, type: String, _ keys: [String], owner: String, ttl: Int
    ) async throws -> [String: Int64] {
        guard !keys.isEmpty else { return [:] }
        return try await write("claim leases", timeout: Self.leaseTimeout) { [logger] connection in
            try await connection.all(
                """
                INSERT INTO \(unescaped: table) (\(unescaped: key), owner, epoch, expires_at)
                SELECT given.key::\(unescaped: type), \(owner), 1, now() + make_interval(secs => \(ttl))
                FROM unnest(\(keys)::text[]) AS given (key)
                ON CONFLICT (\(unescaped: key)) DO UPDATE SET
                    owner = excluded.owner,
                    epoch = CASE WHEN \(unescaped: table).owner = excluded.owner AND \(unescaped: table).expires_at > now()
                        THEN \(unescaped: table).epoch ELSE \(unescaped: table).epoch + 1 END,
                    expires_at = excluded.expires_at
                WHERE \(unescaped: table).owner IS NULL OR \(unescaped: table).owner = excluded.owner
                    OR \(unescaped: table).expires_at <= now()
                RETURNING \(unescaped: key)::text, epoch
                """, (String, Int64).self, logger
            ).reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    /// Releases `owner`'s leases of `keys` in `table`: free at once for the next claim.
    private func release(_ table: String, key: String, type: String, _ keys: [String], owner: String) async throws {
        guard !keys.isEmpty else { return }
        try await write("release leases", timeout: Self.leaseTimeout) { [logger] connection in
            try await connection.run(
                """
                UPDATE \(unescaped: table) SET owner = NULL, expires_at = '-infinity'
                WHERE \(unescaped: key) = ANY(\(keys)::text[]::\(unescaped: type)[]) AND owner = \(owner)
                """, logger: logger)
        }
    }

    func leases() async throws -> [WorkspaceLease] {
        try await read("read leases") { [logger] connection in
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

    func members(within ttl: Int) async throws -> [DaemonMember] {
        try await read("read members") { [logger] connection in
            try await connection.all(
                """
                SELECT id, host, pid, extract(epoch FROM heartbeat_at)::bigint FROM daemon_member
                WHERE heartbeat_at > now() - make_interval(secs => \(ttl))
                ORDER BY host, pid, id
                """, (String, String, Int, Int).self, logger
            ).map { DaemonMember(id: $0.0, host: $0.1, pid: $0.2, heartbeatAt: $0.3) }
        }
    }

    func laneLeases() async throws -> [LaneLease] {
        try await read("read lane leases") { [logger] connection in
            try await connection.all(
                "SELECT destination, owner, expires_at <= now() FROM lane_lease ORDER BY destination",
                (String, String?, Bool).self, logger
            ).map { LaneLease(destination: $0.0, owner: $0.1, expired: $0.2) }
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
