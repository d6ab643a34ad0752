import Logging

/// Everything needed to start a simulator: where to listen, the token it accepts, the workspaces it
/// simulates, their rate limit, faults and seed data.
public struct SimulatorConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` keeps the simulator local.
    public var host: String
    /// Port to bind; 0 lets the system choose (read it back from `SimulatorServer.baseURL`).
    public var port: Int
    /// The access token of workspace 1, accepted as `Authorization: Bearer <token>`; workspace k also answers
    /// to `<token>-k` (see `token(forWorkspace:)`).
    public var token: String
    /// Workspace 1's identity, timezone, index lag and date-filter behaviour; the other workspaces derive theirs
    /// from it (see `workspaceCount`).
    public var workspace: WorkspaceConfiguration
    /// How many workspaces the simulator serves, each with its own token, app id, timezone, records, rate limit,
    /// faults and request statistics, made on first use; clamped to `workspaceCounts`.
    public var workspaceCount: Int
    /// Requests allowed per 10-second window, per workspace. Intercom's default private-app limit is
    /// 10,000/min, i.e. 1667.
    public var rateLimitPerWindow: Int
    /// Injected faults, per workspace (none by default).
    public var faults: FaultSettings
    /// Faults of particular workspaces, by number, in place of `faults` from the start.
    public var workspaceFaults: [Int: FaultSettings] = [:]
    /// Seed of the fault generator and of the seed data, so a run's faults and records are reproducible
    /// (workspace k > 1 derives its own from it).
    public var seed: UInt64
    /// Contacts created at start, in each workspace.
    public var seedContacts: Int
    /// Conversations created at start, in each workspace.
    public var seedConversations: Int
    /// Companies created at start, in each workspace.
    public var seedCompanies: Int
    /// Where the HTTP server logs; silent by default so tests stay quiet.
    public var logger: Logger

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        token: String = "sim-token",
        workspace: WorkspaceConfiguration = .init(),
        workspaceCount: Int = 1,
        rateLimitPerWindow: Int = 1667,
        faults: FaultSettings = .none,
        seed: UInt64 = 1,
        seedContacts: Int = 0,
        seedConversations: Int = 0,
        seedCompanies: Int = 0,
        logger: Logger = Logger(label: "intercom-sim", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.workspace = workspace
        self.workspaceCount = workspaceCount
        self.rateLimitPerWindow = rateLimitPerWindow
        self.faults = faults
        self.seed = seed
        self.seedContacts = seedContacts
        self.seedConversations = seedConversations
        self.seedCompanies = seedCompanies
        self.logger = logger
    }
}
