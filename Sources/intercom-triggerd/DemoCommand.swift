import ArgumentParser
import Foundation
import IntercomSimulator
import IntercomTriggers
import Logging
import ServiceLifecycle

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "An embedded simulated workspace and the daemon against it; events on stdout (Ctrl-C stops).",
        discussion: """
            On a terminal each event is one readable line (time, topic, who, what changed); piped or with --json, \
            each event is one JSON line, as every stdout destination writes it.
            """)

    @Option(help: "How often the daemon polls, e.g. 2s.")
    var interval: String = "2s"

    @Option(help: "How often something happens in the simulated workspace, e.g. 3s.")
    var activity: String = "3s"

    @Option(help: "Keep the state database in this directory (default: a temporary one, removed at exit).")
    var state: String?

    @Flag(help: "Print events as JSON lines even on a terminal (piped, they always are).")
    var json = false

    @OptionGroup var logging: LogLevelOptions

    func run() async throws {
        let interval = try Self.duration(self.interval, "--interval")
        let activity = try Self.duration(self.activity, "--activity")
        bootstrapLogging(logging.level(or: .info))
        ProcessSignals.ignoreSIGPIPE()
        let logger = Logger(label: "intercom-triggerd.demo")
        let directory: String
        if let state {
            directory = state
        } else {
            do {
                directory = try PrivateTemporaryDirectory.create(prefix: "intercom-triggerd-demo")
            } catch {
                printError("intercom-triggerd: \(error)")
                throw ExitCode.failure
            }
        }
        defer { if state == nil { try? FileManager.default.removeItem(atPath: directory) } }

        var simulatorConfiguration = SimulatorConfiguration()
        simulatorConfiguration.logger = Logger(label: "intercom-sim", factory: { _ in SwiftLogNoOpLogHandler() })
        let simulator = SimulatorService(configuration: simulatorConfiguration)
        let generator = ActivityGenerator(
            workspace: simulator.workspace, interval: activity, seed: UInt64(unixNow()), logger: logger)
        let readable = ReadableEventLine.forDemo(
            json: json, isTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
        let daemon = DemoDaemon(
            simulator: simulator, storePath: directory + "/state.sqlite", interval: interval, readable: readable,
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: simulator), .init(service: generator), .init(service: daemon),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func duration(_ text: String, _ flag: String) throws -> Duration {
        do {
            return try ConfigDuration.parse(text)
        } catch {
            throw ValidationError("\(flag): \(error.problem) (\(error.suggestion))")
        }
    }
}

/// Waits for the embedded simulator, then runs the real daemon against it with a stdout destination.
struct DemoDaemon: Service {
    let simulator: SimulatorService
    let storePath: String
    let interval: Duration
    /// Readable lines instead of JSON (on a terminal).
    let readable: ReadableEventLine?
    let logger: Logger

    func run() async throws {
        let server = try await simulator.server()
        let topics = TopicCatalog.all
        let configuration = DaemonConfiguration(
            file: "<demo>",
            intercom: .init(accessToken: Secret(server.token, source: .inline(key: "demo")), baseURL: server.baseURL),
            poll: .init(interval: interval, lookback: .seconds(600)),
            store: .init(path: storePath),
            triggers: .init(topics: topics, start: .now),
            destinations: [.init(name: "stdout", kind: .stdout, topics: topics)])
        let every = ConfigDuration.format(interval)
        logger.info(
            "demo: simulated workspace at \(server.baseURL), polling every \(every); events on stdout, Ctrl-C stops")
        let daemon = try await Daemon.build(configuration: configuration, logger: logger, readableStdout: readable)
        defer { try? daemon.store.close() }
        // A nested group: it shuts down when the demo's group does.
        // On a terminal the noise that fired nothing shows too, as dimmed asides between the events.
        let asides: [any Service] =
            readable.map { [SuppressedUpdatesReporter(telemetry: daemon.telemetry, line: $0, interval: interval)] }
            ?? []
        try await ServiceGroup(services: daemon.services + asides, logger: logger).run()
    }
}
