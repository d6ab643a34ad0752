import Synchronization

/// One workspace of a simulator: the token that routes to it, its records (`workspace`), and its own rate limit,
/// faults and request statistics, which no other workspace's requests touch.
///
/// None of it exists until the workspace is first used (a request with its token, a control request selecting
/// it, or a member here), so thousands of idle workspaces cost little; it then holds the seed data it would have
/// had from the start.
public final class HostedWorkspace: Sendable {
    /// What every workspace of one simulator is made from: the configuration, the clock and the moment the
    /// simulator started, as of which each workspace's seed data is laid, whenever the workspace is made.
    final class Plan: Sendable {
        let configuration: SimulatorConfiguration
        let clock: SimulatorClock
        private let startedAt = Mutex<Double?>(nil)

        init(configuration: SimulatorConfiguration, clock: SimulatorClock) {
            self.configuration = configuration
            self.clock = clock
        }

        /// When the simulator started, once it has.
        var startTime: Double? { startedAt.withLock { $0 } }

        /// Fixes the start time at now; a second call changes nothing.
        func start() {
            let now = clock.now()
            startedAt.withLock { $0 = $0 ?? now }
        }
    }

    /// What a workspace is made of once used.
    struct Parts: Sendable {
        let workspace: SimulatedWorkspace
        let rateLimiter: RateLimiter
        let faults: FaultInjector
        let statistics: RequestStatistics
        /// Whether the seed data is in: it waits for the simulator's start.
        var seeded = false
    }

    /// 1…`SimulatorConfiguration.workspaceCount`.
    public let number: Int
    private let plan: Plan
    private let state = Mutex<Parts?>(nil)

    init(number: Int, plan: Plan) {
        self.number = number
        self.plan = plan
    }

    /// The token that routes to this workspace, `<token>-<number>` (workspace 1 also answers to the plain token).
    public var token: String { plan.configuration.token(forWorkspace: number) }

    /// The records, search and data controls of this workspace.
    public var workspace: SimulatedWorkspace { parts.workspace }

    /// Counts of API requests this workspace answered, by method, path template and status.
    public var statistics: RequestStatistics { parts.statistics }

    /// The fault settings in force for this workspace.
    public var faults: FaultSettings {
        get { parts.faults.settings }
        set { parts.faults.settings = newValue }
    }

    /// Queues faults for this workspace's next API requests, one each, replacing any still queued.
    public func forceFaults(_ faults: [ForcedFault]) { parts.faults.force(faults) }

    /// Faults still queued for this workspace's upcoming requests.
    public var pendingForcedFaults: [ForcedFault] { parts.faults.forced }

    /// Restarts this workspace's random fault sequence from `seed`.
    public func reseedFaults(_ seed: UInt64) { parts.faults.reseed(seed) }

    /// Requests this workspace allows per 10-second window.
    public var rateLimitPerWindow: Int {
        get { parts.rateLimiter.perWindow }
        set { parts.rateLimiter.perWindow = newValue }
    }

    /// Gives this workspace's current rate-limit window its whole budget back.
    public func resetRateLimitWindow() { parts.rateLimiter.resetWindow() }

    /// The parts, made on first use, holding the seed data once the simulator has started.
    var parts: Parts { state.withLock { settle(&$0) } }

    /// The parts if the workspace has been used, without making them.
    var partsIfMade: Parts? { state.withLock { $0 } }

    /// Lays the seed data of a workspace made before the simulator started.
    func seedIfMade() {
        state.withLock { state in
            if state != nil { _ = settle(&state) }
        }
    }

    /// Makes the parts if needed and seeds them once the simulator has started. The start time is read under
    /// the workspace's lock, so a workspace made while the simulator starts is seeded by one side or the other.
    private func settle(_ state: inout Parts?) -> Parts {
        let configuration = plan.configuration
        var parts =
            state
            ?? Parts(
                workspace: SimulatedWorkspace(
                    configuration: configuration.workspaceConfiguration(number), clock: plan.clock,
                    idSpace: number - 1),
                rateLimiter: RateLimiter(perWindow: configuration.rateLimitPerWindow),
                faults: FaultInjector(
                    settings: configuration.workspaceFaults[number] ?? configuration.faults,
                    seed: configuration.seed(forWorkspace: number)),
                statistics: RequestStatistics())
        if !parts.seeded, let startTime = plan.startTime {
            if configuration.seedsRecords {
                parts.workspace.seed(
                    contacts: configuration.seedContacts, conversations: configuration.seedConversations,
                    companies: configuration.seedCompanies, randomSeed: configuration.seed(forWorkspace: number),
                    at: startTime)
            }
            parts.seeded = true
        }
        state = parts
        return parts
    }
}
