import Foundation
import ServiceLifecycle

/// A running simulator: its address, its workspaces and clock, and the knobs tests turn while it runs
/// (faults, rate limit, request statistics). Get one from `withRunning` or from a `SimulatorService`.
public final class SimulatorServer: Sendable {
    let core: SimulatorCore
    /// The configuration the simulator was started with (faults and rate limit may have changed since).
    public let configuration: SimulatorConfiguration
    /// The port actually bound (the system's choice when the configuration asked for 0).
    public let port: Int
    /// `http://host:port`, with a wildcard bind address replaced by loopback so clients can connect.
    public let baseURL: URL

    init(core: SimulatorCore, configuration: SimulatorConfiguration, port: Int) {
        self.core = core
        self.configuration = configuration
        self.port = port
        self.baseURL = URL(string: "http://\(Self.urlHost(configuration.host)):\(port)")!
    }

    /// Workspace 1's records: seed, reset and inspect them.
    public var workspace: SimulatedWorkspace { core.defaultWorkspace.workspace }

    /// How many workspaces the simulator serves (`SimulatorConfiguration.workspaceCount`, clamped).
    public var workspaceCount: Int { core.workspaces.count }

    /// Workspace `number` (1…`workspaceCount`): its token, records, rate limit, faults and statistics.
    /// Precondition: `number` is in 1…`workspaceCount`.
    public func hostedWorkspace(_ number: Int) -> HostedWorkspace {
        precondition(core.workspaces.indices.contains(number - 1), "no workspace \(number)")
        return core.workspaces[number - 1]
    }

    /// The clock shared by every workspace and rate limiter: pin or advance it to move time.
    public var clock: SimulatorClock { core.clock }

    /// Workspace 1's plain token (it also answers to `<token>-1`; workspace k to `<token>-k`).
    public var token: String { core.configuration.token }

    // The members below act on workspace 1, as they did when a simulator had one workspace;
    // `hostedWorkspace(_:)` has the same for every workspace.

    /// Counts of API requests workspace 1 answered (and those no workspace's token claimed), by method, path
    /// template and status.
    public var statistics: RequestStatistics { core.defaultWorkspace.statistics }

    /// The fault settings in force for workspace 1.
    public var faults: FaultSettings {
        get { core.defaultWorkspace.faults }
        set { core.defaultWorkspace.faults = newValue }
    }

    /// Queues faults for workspace 1's next API requests, one each, replacing any still queued.
    public func forceFaults(_ faults: [ForcedFault]) { core.defaultWorkspace.forceFaults(faults) }

    /// Faults still queued for workspace 1's upcoming requests.
    public var pendingForcedFaults: [ForcedFault] { core.defaultWorkspace.pendingForcedFaults }

    /// Restarts workspace 1's random fault sequence from `seed`.
    public func reseedFaults(_ seed: UInt64) { core.defaultWorkspace.reseedFaults(seed) }

    /// Requests workspace 1 allows per 10-second window.
    public var rateLimitPerWindow: Int {
        get { core.defaultWorkspace.rateLimitPerWindow }
        set { core.defaultWorkspace.rateLimitPerWindow = newValue }
    }

    /// Gives workspace 1's current rate-limit window its whole budget back.
    public func resetRateLimitWindow() { core.defaultWorkspace.resetRateLimitWindow() }

    /// API requests counted with workspace 1 that match every criterion given (`nil` matches anything);
    /// `pathTemplate` has ids replaced by `{id}`, e.g. `/contacts/{id}`.
    public func requestCount(method: String? = nil, pathTemplate: String? = nil, status: Int? = nil) -> Int {
        statistics.count(method: method, pathTemplate: pathTemplate, status: status)
    }

    /// All API requests counted with workspace 1.
    public var totalRequestCount: Int { statistics.total }

    /// Forgets workspace 1's request counts.
    public func resetRequestStatistics() { statistics.reset() }

    /// Starts a simulator, runs `body` with it, then shuts the server down gracefully and waits until it has
    /// stopped (its port is closed when this returns). Throws if the server cannot bind, or what `body` throws.
    public static func withRunning<T: Sendable>(
        _ configuration: SimulatorConfiguration = .init(),
        clock: SimulatorClock = .init(),
        _ body: (SimulatorServer) async throws -> T
    ) async throws -> T {
        let service = SimulatorService(configuration: configuration, clock: clock)
        let group = ServiceGroup(configuration: .init(services: [service], logger: configuration.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do {
                let server = try await service.server()
                result = .success(try await body(server))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            do {
                try await tasks.waitForAll()
            } catch {
                // A failure to start is already in `result`; a failure to stop matters only after success.
                if case .success = result { throw error }
            }
            return try result.get()
        }
    }

    /// The host as it goes in a URL: loopback for a wildcard bind address, brackets around IPv6.
    static func urlHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": "127.0.0.1"
        case "::", "[::]": "[::1]"
        default: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
    }
}
