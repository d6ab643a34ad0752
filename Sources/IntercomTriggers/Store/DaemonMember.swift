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

    public init(id: String, host: String, pid: Int, heartbeatAt: Int = 0) {
        self.id = id
        self.host = host
        self.pid = pid
        self.heartbeatAt = heartbeatAt
    }

    /// A new member for this process: a random id, the host name and pid.
    public static func thisProcess() -> DaemonMember {
        DaemonMember(
            id: UUID().uuidString.lowercased(), host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier))
    }
}
