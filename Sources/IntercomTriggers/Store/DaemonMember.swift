import Foundation

/// One running daemon of a shared store (#16): what its heartbeat row says about it.
public struct DaemonMember: Sendable, Hashable {
    /// Unique per process run (a new one at every start).
    public var id: String
    /// The host it runs on.
    public var host: String
    /// Its process id there.
    public var pid: Int
    /// When its last heartbeat reached the database (Unix seconds, the database's clock); 0 for a new member.
    public var heartbeatAt: Int
    /// How long it stays a live member without another heartbeat, as the database counted when it was read (nil
    /// when not read from a heartbeat).
    public var expiresIn: Duration?
    /// The workspaces (store ids) it serves — those its configuration names; nil for every workspace.
    public var workspaces: Set<Int64>?
    /// The ordered destinations it delivers — those its configuration names; nil for every one.
    public var lanes: Set<String>?

    public init(
        id: String, host: String, pid: Int, heartbeatAt: Int = 0, expiresIn: Duration? = nil,
        workspaces: Set<Int64>? = nil, lanes: Set<String>? = nil
    ) {
        self.id = id
        self.host = host
        self.pid = pid
        self.heartbeatAt = heartbeatAt
        self.expiresIn = expiresIn
        self.workspaces = workspaces
        self.lanes = lanes
    }

    /// Whether it delivers the ordered destination `lane`.
    public func delivers(_ lane: String) -> Bool {
        lanes?.contains(lane) ?? true
    }

    /// Whether it serves `workspace`.
    public func serves(_ workspace: StoreWorkspace) -> Bool {
        workspaces?.contains(workspace.id) ?? true
    }

    /// A new member for this process: a random id, the host name and pid.
    public static func thisProcess() -> DaemonMember {
        DaemonMember(
            id: UUID().uuidString.lowercased(), host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier))
    }
}
