import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon wired from a configuration: the store, the Intercom client, the poller, one
/// delivery lane per destination and the retention pruner. `run`, `demo` and the tests all build it here.
public struct Daemon: Sendable {
    public let configuration: DaemonConfiguration
    public let store: StateStore
    public let client: IntercomClient
    public let poller: PollerService
    public let lanes: [DeliveryLane]
    /// Prunes delivered rows and unreferenced events every hour.
    public let retention: RetentionService
    public let identity: WorkspaceIdentity
    /// What the working loops report: metrics, health, systemd status and the watchdog read it.
    public let telemetry: DaemonTelemetry
    public let logger: Logger

    /// Opens the store (taking the daemon lock: a second daemon gets `StoreError.locked`), registers the
    /// topics at their start point, and wires the services.
    public static func build(
        configuration: DaemonConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        webhookTransport: () -> any HTTPTransport = { AsyncHTTPClientTransport() }, stdout: Int32 = STDOUT_FILENO,
        telemetry: DaemonTelemetry? = nil
    ) throws -> Daemon {
        let telemetry = telemetry ?? DaemonTelemetry(clock: clock)
        let store = try StateStore(path: configuration.store.path, role: .daemon)
        let now = Int(clock.now().timeIntervalSince1970)
        let start = configuration.triggers.start.resolve(now: now)
        try store.ensureTopics(Dictionary(uniqueKeysWithValues: configuration.triggers.topics.map { ($0.name, start) }))
        let identity = WorkspaceIdentity(try store.metaValue(forKey: "workspace_id"))
        let client = IntercomClient(
            configuration: configuration.intercom.clientConfiguration, transport: transport, clock: clock,
            logger: logger.component("intercom"), telemetry: telemetry)
        let signal = OutboxSignal()
        let routes = Dictionary(
            uniqueKeysWithValues: configuration.destinations.map { ($0.name, Optional(Set($0.topics.map(\.name)))) })
        let poller = PollerService(
            store: store, source: IntercomObservationSource(client: client),
            settings: PollerService.Settings(
                topics: configuration.triggers.topics, interval: configuration.poll.interval,
                lookback: Int(configuration.poll.lookback.components.seconds), routes: routes),
            clock: clock, logger: logger.component("poller"),
            workspace: {
                guard let id = try await client.me().app?.idCode, !id.isEmpty else {
                    throw IntercomError.invalidResponse("GET /me has no app.id_code")
                }
                identity.set(id)
                return id
            },
            onCommit: { signal.notify() }, telemetry: telemetry)
        let lanes = configuration.destinations.map { destination -> DeliveryLane in
            switch destination.kind {
            case .stdout:
                return DeliveryLane(
                    destination: destination.name, store: store,
                    sink: StdoutSink(appID: { identity.current }, fileDescriptor: stdout), signal: signal, clock: clock,
                    logger: logger.component("lane \(destination.name)"), telemetry: telemetry)
            case .webhook(let webhook):
                return DeliveryLane(
                    destination: destination.name, store: store,
                    sink: WebhookSink(
                        webhook: webhook, timeout: destination.timeout, transport: webhookTransport(),
                        appID: { identity.current }),
                    signal: signal, clock: clock,
                    retrySchedule: JitteredRetrySchedule(delays: destination.retrySchedule),
                    // A turn reads at least as many rows as may be in flight, or `concurrency` would be capped.
                    batchSize: max(100, destination.concurrency),
                    dispatch: .webhook(concurrency: destination.concurrency, ordered: destination.ordered),
                    logger: logger.component("lane \(destination.name)"), telemetry: telemetry)
            }
        }
        let retention = RetentionService(
            store: store, retention: configuration.delivery.retention, clock: clock,
            logger: logger.component("retention"))
        return Daemon(
            configuration: configuration, store: store, client: client, poller: poller, lanes: lanes,
            retention: retention, identity: identity, telemetry: telemetry, logger: logger)
    }

    /// The services in start order. A `ServiceGroup` stops them in reverse, one after another: retention,
    /// every lane at once, the poller, and the client last.
    public var services: [any Service] {
        [client, poller, DeliveryLaneGroup(lanes: lanes), retention] + observers
    }

    /// The services that watch the working ones, last so that they stop first: the metrics endpoint, the
    /// periodic log summary and the systemd notifications (whose `STOPPING=1` should go out at once).
    public var observers: [any Service] {
        [metricsService(), summaryService(), systemdService()].compactMap { $0 }
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully and closes the store.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info(
            "intercom-triggerd started",
            metadata: [
                "store": "\(configuration.store.path)",
                "topics": "\(configuration.triggers.topics.map(\.name).joined(separator: ","))",
                "destinations": "\(configuration.destinations.map(\.name).joined(separator: ","))",
            ])
        defer { try? store.close() }
        try await group.run()
        logger.info("intercom-triggerd stopped")
    }
}

extension Logger {
    /// This logger (same handler and level) tagged with the part of the daemon that logs.
    func component(_ name: String) -> Logger {
        var logger = self
        logger[metadataKey: "component"] = "\(name)"
        return logger
    }
}
