import Foundation

/// What `status` shows of a store several daemons share (#16): the live daemons, which daemon polls each workspace
/// and delivers each ordered destination, and the workspaces no daemon holds now.
public struct StoreSharing: Codable, Sendable, Equatable {
    /// One live daemon.
    public struct Daemon: Codable, Sendable, Equatable {
        public var id: String
        public var host: String
        public var pid: Int
        /// Seconds since its last heartbeat.
        public var heartbeatAgeSeconds: Int
        /// The workspaces it polls, by name.
        public var workspaces: [String]
        /// The ordered destinations it delivers.
        public var orderedDestinations: [String]
    }

    public var daemons: [Daemon]
    /// Configured workspaces whose lease no live daemon holds (just started, or a take-over under way).
    public var unowned: [String]

    /// Reads the members and leases of `store` (nil for a SQLite store): live are the daemons heard from within
    /// `lease`.
    public static func collect(
        store: StateStore, workspaces: AdminWorkspaces, lease: Duration, now: Int
    ) async throws -> StoreSharing? {
        guard store.isShared else { return nil }
        let ttl = max(1, Int(lease.components.seconds))
        let members = try await store.members(within: ttl)
        let leases = try await store.leases()
        let lanes = try await store.laneLeases()
        var names: [Int64: String] = [:]
        for entry in workspaces.entries { if let rows = entry.store { names[rows.id] = entry.name } }
        let live = Set(members.map(\.id))
        var held: [String: [String]] = [:]
        var ownedNames = Set<String>()
        for lease in leases where !lease.expired {
            guard let owner = lease.owner, live.contains(owner), let name = names[lease.workspace.id] else { continue }
            held[owner, default: []].append(name)
            ownedNames.insert(name)
        }
        var delivering: [String: [String]] = [:]
        for lane in lanes where !lane.expired {
            if let owner = lane.owner, live.contains(owner) { delivering[owner, default: []].append(lane.destination) }
        }
        return StoreSharing(
            daemons: members.map {
                Daemon(
                    id: $0.id, host: $0.host, pid: $0.pid, heartbeatAgeSeconds: max(0, now - $0.heartbeatAt),
                    workspaces: (held[$0.id] ?? []).sorted(), orderedDestinations: (delivering[$0.id] ?? []).sorted())
            },
            unowned: workspaces.entries.filter { $0.configured && !ownedNames.contains($0.name) }.map(\.name).sorted())
    }

    /// The daemon polling `workspace`, as `host pid N`; nil when none.
    public func owner(of workspace: String) -> String? {
        daemons.first { $0.workspaces.contains(workspace) }.map { "\($0.host) pid \($0.pid)" }
    }

    /// The text lines.
    public func lines() -> [String] {
        var lines = ["daemons: \(daemons.count) live"]
        for daemon in daemons {
            var line = "  \(daemon.host.escapingControlCharacters) pid \(daemon.pid): "
            line += "\(daemon.workspaces.count) workspace\(daemon.workspaces.count == 1 ? "" : "s")"
            if !daemon.orderedDestinations.isEmpty {
                line += ", delivers \(daemon.orderedDestinations.joined(separator: ", "))"
            }
            line += ", heard from \(StatusReport.age(daemon.heartbeatAgeSeconds)) ago"
            lines.append(line)
        }
        if !unowned.isEmpty {
            lines.append("  no daemon polls \(unowned.joined(separator: ", ")) now (a start or a take-over under way)")
        }
        return lines
    }
}
