import Foundation
import Hummingbird
import IntercomTriggers
import Logging
import ServiceLifecycle

/// The simulator as a swift-service-lifecycle `Service`, so a `ServiceGroup` (the daemon's demo, the
/// `intercom-sim` executable) runs it alongside other services and shuts it down gracefully.
///
/// Seeds workspace 1 (the others on first use), binds, then calls `onReady` with the running server (its `baseURL` carries the real
/// port); `server()` gives the same handle to any task that waits for it. Run it once.
public struct SimulatorService: Service {
    /// The configuration the simulator runs with.
    public let configuration: SimulatorConfiguration
    let core: SimulatorCore
    private let ready = ReadyValue<SimulatorServer>()
    private let onReady: @Sendable (SimulatorServer) async -> Void

    /// - Parameters:
    ///   - configuration: Where to listen, the token, workspace, limits, faults and seed data.
    ///   - clock: The simulator's clock, shared by the workspace and the rate limiter.
    ///   - onReady: Called once the server listens, before it accepts connections; keep it short.
    public init(
        configuration: SimulatorConfiguration = .init(),
        clock: SimulatorClock = .init(),
        onReady: @escaping @Sendable (SimulatorServer) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.core = SimulatorCore(configuration: configuration, clock: clock)
        self.onReady = onReady
    }

    /// Workspace 1's records (usable before the server listens, e.g. to add records).
    public var workspace: SimulatedWorkspace { core.defaultWorkspace.workspace }

    /// Workspace `number` (1…`workspaceCount`, usable before the server listens). Precondition: it is served.
    public func hostedWorkspace(_ number: Int) -> HostedWorkspace {
        precondition(core.workspaces.indices.contains(number - 1), "no workspace \(number)")
        return core.workspaces[number - 1]
    }

    /// The clock shared by every workspace and rate limiter.
    public var clock: SimulatorClock { core.clock }

    /// Waits until the server listens and returns it; throws if the service stops (or fails to bind) first.
    public func server() async throws -> SimulatorServer { try await ready.wait() }

    /// Seeds workspace 1 (the others get the same seed data, as of now, when first used), serves until the enclosing `ServiceGroup` shuts down gracefully (or the task is
    /// cancelled), and throws if the address cannot be bound.
    public func run() async throws {
        let configuration = configuration
        let core = core
        let ready = ready
        let onReady = onReady
        core.start()
        let clock = core.clock
        let application = Application(
            responder: SimulatorResponder(core: core),
            server: .http1(configuration: .init(additionalChannelHandlers: [SimulatorDateHandler(clock: clock)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                guard let port = channel.localAddress?.port else {
                    ready.fail(SimulatorServerError.noLocalPort)
                    return
                }
                let server = SimulatorServer(core: core, configuration: configuration, port: port)
                ready.succeed(server)
                await onReady(server)
            },
            logger: configuration.logger
        )
        do {
            try await application.run()
        } catch {
            ready.fail(error)
            throw error
        }
        ready.fail(SimulatorServerError.stoppedBeforeReady(host: configuration.host, port: configuration.port))
    }
}
