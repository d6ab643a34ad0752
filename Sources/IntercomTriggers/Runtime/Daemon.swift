import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon wired from a configuration: the store, one client and poll loop per workspace (run by the
/// ``PollScheduler``), one delivery lane per destination and the retention pruner. `run`, `demo` and the tests all
/// build it here.
public struct Daemon: Sendable {
    public let configuration: DaemonConfiguration
    /// Polls every workspace; a reload that changes only workspaces changes its set in place.
    public let scheduler: PollScheduler
    public let lanes: [DeliveryLane]
    /// Prunes delivered rows and unreferenced events every hour.
    public let retention: RetentionService
    /// Wakes the lanes when a poll loop queued events.
    let signal: OutboxSignal

    /// The first workspace's client (the only one of a single-workspace daemon).
    public var client: IntercomClient { scheduler.workspaces[0].client }
    /// The first workspace's poll loop (the only one of a single-workspace daemon).
    public var poller: PollerService { scheduler.workspaces[0].poller }
    public var store: StateStore { wiring.store }
    public var identity: WorkspaceIdentity { wiring.identity }
    /// What the working loops report: metrics, health, systemd status and the watchdog read it.
    public var telemetry: DaemonTelemetry { wiring.telemetry }
    /// The Prometheus registry behind `telemetry` and the metrics endpoint.
    public var metricsRegistry: PrometheusCollectorRegistry { wiring.metricsRegistry }
    public var logger: Logger { wiring.logger }
    /// The clock the services wait on (systemd's watchdog and status ticks too).
    public var clock: any WallClock { wiring.clock }
    /// The environment the daemon was built with: `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID`.
    public var environment: [String: String] { wiring.environment }

    /// What every generation of the daemon shares: the store it holds locked, the figures, the workspace and
    /// the process's clock, environment and transports. A reload assembles new services around the same wiring.
    public struct Wiring: Sendable {
        public var store: StateStore
        public var telemetry: DaemonTelemetry
        public var metricsRegistry: PrometheusCollectorRegistry
        public var identity: WorkspaceIdentity
        public var logger: Logger
        public var clock: any WallClock
        public var environment: [String: String]
        public var transport: any HTTPTransport
        public var webhookTransport: @Sendable () -> any HTTPTransport
        public var stdout: Int32
        /// Stdout destinations write readable lines instead of JSON when set (`demo` on a terminal).
        public var readableStdout: ReadableEventLine? = nil
        /// On a shared store: which workspaces this daemon polls (#16); nil for a SQLite store.
        public var leases: LeaseKeeper? = nil
    }

    /// How this daemon was wired; ``reloaded(with:)`` reuses it.
    public let wiring: Wiring

    /// Opens the store (taking the daemon lock: a second daemon gets `StoreError.locked`), registers the
    /// topics at their start point, and wires the services.
    public static func build(
        configuration: DaemonConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
        transport: any HTTPTransport = CurlTransport(),
        webhookTransport: @escaping @Sendable () -> any HTTPTransport = { CurlTransport() },
        stdout: Int32 = STDOUT_FILENO, telemetry: DaemonTelemetry? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readableStdout: ReadableEventLine? = nil, store opened: StateStore? = nil
    ) async throws -> Daemon {
        // One registry per daemon (never the global MetricsSystem), so each daemon and test has its own figures;
        // always made, so a reload that turns `[metrics] listen` on finds the counts since the start.
        let metricsRegistry = PrometheusCollectorRegistry()
        let telemetry = telemetry ?? DaemonTelemetry(factory: DaemonMetrics.factory(metricsRegistry), clock: clock)
        guard opened != nil || configuration.store.postgres == nil else {
            throw StoreError.cannotOpen(
                path: configuration.store.displayName, reason: "a PostgreSQL store is opened by StateStore.withOpened")
        }
        let store = try opened ?? StateStore(path: configuration.store.path, role: .daemon)
        let wiring = Wiring(
            store: store, telemetry: telemetry, metricsRegistry: metricsRegistry,
            identity: WorkspaceIdentity(try await store.appID(of: .first)), logger: logger,
            clock: clock,
            environment: environment, transport: transport, webhookTransport: webhookTransport, stdout: stdout,
            readableStdout: readableStdout,
            leases: store.isShared
                ? LeaseKeeper(
                    store: store, lease: configuration.store.lease, clock: clock, logger: logger.component("leases"))
                : nil)
        return try await assemble(configuration, wiring)
    }

    /// A new generation for `configuration` around this one's store and figures (a reload). Topics new to the
    /// store start at the configuration's start point; every other topic keeps its watermark, every queued event
    /// its row.
    public func reloaded(with configuration: DaemonConfiguration) async throws -> Daemon {
        try await Self.assemble(configuration, wiring)
    }

    private static func assemble(_ configuration: DaemonConfiguration, _ wiring: Wiring) async throws -> Daemon {
        let (store, telemetry, identity, clock, logger) = (
            wiring.store, wiring.telemetry, wiring.identity, wiring.clock, wiring.logger
        )
        let signal = OutboxSignal()
        let gate = PollGate(limit: configuration.poll.concurrency)
        let idleRecords = IdlePollRecords()
        let resetWatch = ResetWatch()
        var runtimes: [WorkspaceRuntime] = []
        for (index, workspace) in configuration.workspaces.enumerated() {
            // Spread over the shortest interval, so that the first polls of many workspaces are no herd.
            let spread = configuration.workspaces.map(\.poll.interval).min() ?? workspace.poll.interval
            runtimes.append(
                try await workspaceRuntime(
                    workspace, configuration: configuration, wiring: wiring, signal: signal, gate: gate,
                    idleRecords: idleRecords, resetWatch: resetWatch,
                    firstDelay: spread * index / configuration.workspaces.count))
        }
        try await offerWorkspaces(of: configuration, wiring)
        let scheduler = PollScheduler(
            workspaces: runtimes, gate: gate, idleRecords: idleRecords, resetWatch: resetWatch, store: store,
            clock: clock,
            telemetry: telemetry, logger: logger.component("scheduler"), onOutsideWrite: { signal.notify() })
        wiring.leases?.setOrderedLanes(Set(configuration.destinations.filter(\.ordered).map(\.name)))
        let laneGrace = ShutdownBudget(configuration.service.shutdownTimeout).laneGrace
        let quietPoll = store.isShared ? DeliveryLane.sharedStoreQuietPoll : DeliveryLane.daemonQuietPoll
        let lanes = configuration.destinations.map { destination -> DeliveryLane in
            switch destination.kind {
            case .stdout:
                return DeliveryLane(
                    destination: destination.name, store: store,
                    sink: StdoutSink(
                        appID: { identity.current }, fileDescriptor: wiring.stdout, format: destination.format,
                        readable: wiring.readableStdout),
                    signal: signal,
                    clock: clock, quietPoll: quietPoll,
                    logger: logger.component("lane \(destination.name)"), telemetry: telemetry,
                    shutdownGrace: laneGrace, leases: wiring.leases, claimSeconds: 60)
            case .webhook(let webhook):
                return DeliveryLane(
                    destination: destination.name, store: store,
                    sink: WebhookSink(
                        webhook: webhook, timeout: destination.timeout, format: destination.format,
                        transport: wiring.webhookTransport(), appID: { identity.current }),
                    signal: signal, clock: clock,
                    retrySchedule: JitteredRetrySchedule(delays: destination.retrySchedule),
                    // A turn reads at least as many rows as may be in flight, or `concurrency` would be capped.
                    batchSize: max(100, destination.concurrency),
                    dispatch: .webhook(concurrency: destination.concurrency, ordered: destination.ordered),
                    quietPoll: quietPoll, logger: logger.component("lane \(destination.name)"),
                    telemetry: telemetry,
                    shutdownGrace: laneGrace, leases: wiring.leases,
                    // Longer than a turn's attempts can take: a claim that ran out lets another daemon send a row
                    // this one still has in flight.
                    claimSeconds: max(60, 4 * Int(destination.timeout.components.seconds)))
            }
        }
        let retention = RetentionService(
            store: store, retention: configuration.delivery.retention, clock: clock,
            logger: logger.component("retention"))
        return Daemon(
            configuration: configuration, scheduler: scheduler, lanes: lanes, retention: retention, signal: signal,
            wiring: wiring)
    }

    /// Tells the lease keeper (on a shared store) which workspaces this daemon serves: its share of them is what it
    /// polls.
    static func offerWorkspaces(of configuration: DaemonConfiguration, _ wiring: Wiring) async throws {
        guard let leases = wiring.leases else { return }
        var workspaces = Set<StoreWorkspace>()
        for workspace in configuration.workspaces {
            if let rows = try await wiring.store.workspace(named: workspace.name) { workspaces.insert(rows) }
        }
        leases.setWorkspaces(workspaces)
    }

    /// This generation running `plan`'s configuration, whose changes are all to workspaces (``ReloadPlan/inPlace``):
    /// the workspaces removed or changed stop, the ones added or changed start (at once), and everything else —
    /// the other workspaces' loops, the lanes, retention — goes on untouched.
    public func applying(_ plan: ReloadPlan) async throws -> Daemon {
        let next = plan.configuration
        var adding: [WorkspaceRuntime] = []
        for name in plan.workspaces.added + plan.workspaces.changed {
            guard let workspace = next.workspaces.first(where: { $0.name == name }) else { continue }
            adding.append(
                try await Self.workspaceRuntime(
                    workspace, configuration: next, wiring: wiring, signal: signal, gate: scheduler.gate,
                    idleRecords: scheduler.idleRecords, resetWatch: scheduler.resetWatch, firstDelay: .zero))
        }
        scheduler.apply(removing: plan.workspaces.removed + plan.workspaces.changed, adding: adding)
        try await Self.offerWorkspaces(of: next, wiring)
        return Daemon(
            configuration: next, scheduler: scheduler, lanes: lanes, retention: retention, signal: signal,
            wiring: wiring)
    }

    /// What serves `workspace`: its row in the store (registered on first sight), its topics at their start point,
    /// its client on the shared transport, and its poll loop, which waits `firstDelay` before its first cycle.
    static func workspaceRuntime(
        _ workspace: DaemonConfiguration.Workspace, configuration: DaemonConfiguration, wiring: Wiring,
        signal: OutboxSignal, gate: PollGate, idleRecords: IdlePollRecords, resetWatch: ResetWatch,
        firstDelay: Duration
    ) async throws -> WorkspaceRuntime {
        let (store, telemetry, clock) = (wiring.store, wiring.telemetry, wiring.clock)
        var logger = wiring.logger
        if workspace.name != DaemonConfiguration.Workspace.defaultName {
            logger[metadataKey: "workspace"] = "\(workspace.name)"
        }
        let storeWorkspace = try await store.registerWorkspace(name: workspace.name)
        let now = Int(clock.now().timeIntervalSince1970)
        let start = workspace.triggers.start.resolve(now: now)
        try await store.ensureTopics(
            Dictionary(uniqueKeysWithValues: workspace.triggers.topics.map { ($0.name, start) }), in: storeWorkspace)
        if !workspace.triggers.topics.contains(where: { TopicCatalog.changeTopics.contains($0.name) }) {
            try await store.dropSnapshots(in: storeWorkspace)
        }
        // Workspace 1's id is also what the sinks label events with that recorded none (older stores).
        let identity =
            storeWorkspace == .first ? wiring.identity : WorkspaceIdentity(try await store.appID(of: storeWorkspace))
        let client = IntercomClient(
            configuration: workspace.intercom.clientConfiguration, transport: wiring.transport, clock: clock,
            logger: logger.component("intercom"), telemetry: telemetry, workspace: workspace.name)
        var routes: OutboxRoutes = [:]
        for destination in configuration.destinations where destination.serves(workspace: workspace.name) {
            routes[destination.name] = OutboxRoute(
                topics: Set(destination.topics.map(\.name)), filter: destination.filter)
        }
        let poller = PollerService(
            store: store, source: GatedObservationSource(IntercomObservationSource(client: client), gate: gate),
            settings: PollerService.Settings(
                topics: workspace.triggers.topics, interval: workspace.poll.interval,
                lookback: Int(workspace.poll.lookback.components.seconds), routes: routes,
                ignoredFields: workspace.triggers.ignoreFields),
            clock: clock, logger: logger.component("poller"),
            workspace: {
                guard let id = try await client.me().app?.idCode, !id.isEmpty else {
                    throw IntercomError.invalidResponse("GET /me has no app.id_code")
                }
                return id
            },
            onWorkspace: { identity.set($0) },
            onCommit: { signal.notify() }, telemetry: telemetry, name: workspace.name,
            storeWorkspace: storeWorkspace, firstDelay: firstDelay, idleRecords: idleRecords, resetWatch: resetWatch,
            leases: wiring.leases)
        return WorkspaceRuntime(
            configuration: workspace, storeWorkspace: storeWorkspace, client: client, poller: poller,
            identity: identity)
    }

    /// The services in start order. A `ServiceGroup` stops them in reverse, one after another: the observers,
    /// retention, every lane at once, and the workspaces' poll loops and clients last. (`demo` and tests run these; `run()` adds
    /// reloads.)
    public var services: [any Service] {
        [wiring.leases].compactMap { $0 } + generationServices + [systemdService(current: { self })].compactMap { $0 }
    }

    /// What one generation runs: the working services, then the metrics endpoint and the periodic log summary
    /// (last, so that they stop first). A reload replaces all of these.
    public var generationServices: [any Service] {
        let listener =
            wiring.store.isShared
            ? OutboxListener(
                store: wiring.store, signal: signal, clock: wiring.clock, logger: wiring.logger.component("wake-ups"))
            : nil
        return [scheduler, DeliveryLaneGroup(lanes: lanes), retention] + [listener].compactMap { $0 }
            + [metricsService(), summaryService()].compactMap { $0 }
    }

    /// Runs until SIGTERM or SIGINT (or, nested in another `ServiceGroup`, until its graceful shutdown), then
    /// stops within `[service] shutdown_timeout` (split as ``ShutdownBudget`` says) and closes the store.
    ///
    /// - Parameters:
    ///   - trapSignals: whether SIGTERM and SIGINT start the graceful shutdown (tests nest it instead), and SIGHUP
    ///     a reload when `reload` is given.
    ///   - reload: re-reads the configuration file; each SIGHUP (or element of `reloadRequests`) applies a valid
    ///     file with changes as a new generation (``DaemonSupervisor``). Nil: no reloads.
    ///   - reloadRequests: reload requests in place of SIGHUP (tests).
    public func run(
        trapSignals: Bool = true, reload: (@Sendable () throws -> DaemonConfiguration)? = nil,
        reloadRequests: AsyncStream<Void>? = nil
    ) async throws {
        let budget = ShutdownBudget(configuration.service.shutdownTimeout)
        let logger = self.logger
        let timeout = ConfigDuration.format(configuration.service.shutdownTimeout)
        // Only the process's own daemon may end the process; a nested one (tests) never does.
        let witness = ShutdownWitness(
            backstop: trapSignals
                ? .init(
                    bound: budget.total,
                    action: {
                        logger.critical(
                            "shutdown_timeout passed and the stop has not finished: exiting now; the store is committed and undelivered events stay queued",
                            metadata: ["shutdown_timeout": "\(timeout)"])
                        _exit(0)
                    }) : nil)
        var requests: (any AsyncSequence<Void, Never> & Sendable)? = reloadRequests
        if reload != nil, requests == nil, trapSignals {
            requests = await UnixSignalsSequence(trapping: .sighup).map { @Sendable _ in () }
        }
        let supervisor = DaemonSupervisor(daemon: self, load: reload, requests: requests)
        let systemd = systemdService(current: { supervisor.daemon })
        // The lease keeper stops after the poll loops (the reverse order): it hands their workspaces over last.
        var services: [any Service] = [witness.finale]
        if let leases = wiring.leases { services.append(leases) }
        services.append(supervisor)
        if let systemd { services.append(systemd) }
        services.append(witness.onset)
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map {
                ServiceGroupConfiguration.ServiceConfiguration(service: $0)
            },
            gracefulShutdownSignals: trapSignals ? [.sigterm, .sigint] : [], logger: logger)
        // Past the graceful phase whatever still runs is cancelled; past the whole bound the witness's backstop
        // ends the process (not `maximumCancellationDuration`, whose fatalError would crash it).
        groupConfiguration.maximumGracefulShutdownDuration = budget.graceful
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.info(
            "intercom-triggerd started",
            metadata: [
                "store": "\(configuration.store.displayName)",
                "topics": "\(configuration.triggers.topics.map(\.name).joined(separator: ","))",
                "destinations": "\(configuration.destinations.map(\.name).joined(separator: ","))",
            ])
        defer {
            witness.ended()
            try? store.close()
        }
        do {
            try await group.run()
        } catch is CancellationError where witness.began {
            // A service that threw when it was cancelled at the end of the graceful phase: still a clean stop
            // (exit 0); what was not delivered stays pending in the store.
        }
        if witness.cutShort {
            logger.warning(
                "shutdown_timeout reached: cancelled what was still running; undelivered events stay queued",
                metadata: ["shutdown_timeout": "\(timeout)"])
        }
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
