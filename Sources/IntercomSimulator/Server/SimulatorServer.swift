import Foundation
import ServiceLifecycle

/// A running simulator: its address, its workspace and clock, and the knobs tests turn while it runs
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

    /// The simulated workspace: seed, reset and inspect records.
    public var workspace: SimulatedWorkspace { core.workspace }

    /// The clock shared by the workspace and the rate limiter: pin or advance it to move time.
    public var clock: SimulatorClock { core.clock }

    /// The token the simulator accepts.
    public var token: String { core.token }

    /// Counts of API requests answered, by method, path template and status.
    public var statistics: RequestStatistics { core.statistics }

    /// The random fault settings in force.
    public var faults: FaultSettings {
        get { core.faults.settings }
        set { core.faults.settings = newValue }
    }

    /// Queues faults for the next API requests, one each, replacing any still queued.
    public func forceFaults(_ faults: [ForcedFault]) { core.faults.force(faults) }

    /// Faults still queued for upcoming requests.
    public var pendingForcedFaults: [ForcedFault] { core.faults.forced }

    /// Restarts the random fault sequence from `seed`.
    public func reseedFaults(_ seed: UInt64) { core.faults.reseed(seed) }

    /// Requests allowed per 10-second window.
    public var rateLimitPerWindow: Int {
        get { core.rateLimiter.perWindow }
        set { core.rateLimiter.perWindow = newValue }
    }

    /// Gives the current rate-limit window its whole budget back.
    public func resetRateLimitWindow() { core.rateLimiter.resetWindow() }

    /// API requests answered that match every criterion given (`nil` matches anything); `pathTemplate` has ids
    /// replaced by `{id}`, e.g. `/contacts/{id}`.
    public func requestCount(method: String? = nil, pathTemplate: String? = nil, status: Int? = nil) -> Int {
        core.statistics.count(method: method, pathTemplate: pathTemplate, status: status)
    }

    /// All API requests answered.
    public var totalRequestCount: Int { core.statistics.total }

    /// Forgets the request counts.
    public func resetRequestStatistics() { core.statistics.reset() }

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
