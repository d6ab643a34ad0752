import Logging

/// Everything needed to start a simulator: where to listen, the token it accepts, the workspace it
/// simulates, its rate limit, faults and seed data.
public struct SimulatorConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` keeps the simulator local.
    public var host: String
    /// Port to bind; 0 lets the system choose (read it back from `SimulatorServer.baseURL`).
    public var port: Int
    /// The only access token accepted as `Authorization: Bearer <token>`.
    public var token: String
    /// The simulated workspace's identity, timezone, index lag and date-filter behaviour.
    public var workspace: WorkspaceConfiguration
    /// Requests allowed per 10-second window. Intercom's default private-app limit is 10,000/min, i.e. 1667.
    public var rateLimitPerWindow: Int
    /// Randomly injected faults (none by default).
    public var faults: FaultSettings
    /// Seed of the fault generator and of the seed data, so a run's faults and records are reproducible.
    public var seed: UInt64
    /// Contacts created at start.
    public var seedContacts: Int
    /// Conversations created at start.
    public var seedConversations: Int
    /// Companies created at start.
    public var seedCompanies: Int
    /// Where the HTTP server logs; silent by default so tests stay quiet.
    public var logger: Logger

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        token: String = "sim-token",
        workspace: WorkspaceConfiguration = .init(),
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
        self.rateLimitPerWindow = rateLimitPerWindow
        self.faults = faults
        self.seed = seed
        self.seedContacts = seedContacts
        self.seedConversations = seedConversations
        self.seedCompanies = seedCompanies
        self.logger = logger
    }
}
