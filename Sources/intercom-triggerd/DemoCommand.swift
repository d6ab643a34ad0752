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

    @Option(
        help: "How many simulated workspaces one daemon serves (1–\(Self.maximumWorkspaces)); each line names its own.")
    var workspaces: Int = 1

    /// The most workspaces `--workspaces` takes: a demo is for watching, `scripts/bench-workspaces` for scale.
    static let maximumWorkspaces = 50

    @OptionGroup var logging: LogLevelOptions

    func run() async throws {
        guard (1...Self.maximumWorkspaces).contains(workspaces) else {
            throw ValidationError("--workspaces: \(workspaces) is not within 1–\(Self.maximumWorkspaces)")
        }
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
        simulatorConfiguration.workspaceCount = workspaces
        let simulator = SimulatorService(configuration: simulatorConfiguration)
        // Every workspace has its own activity, at the same pace.
        let generators: [ServiceGroupConfiguration.ServiceConfiguration] = (1...workspaces).map { number in
            .init(
                service: ActivityGenerator(
                    workspace: simulator.hostedWorkspace(number).workspace, interval: activity,
                    seed: UInt64(unixNow()) &+ UInt64(number), logger: logger))
        }
        let readable = ReadableEventLine.forDemo(
            json: json, isTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
        let daemon = DemoDaemon(
            simulator: simulator, storePath: directory + "/state.sqlite", interval: interval, readable: readable,
            workspaces: workspaces, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: simulator)] + generators + [.init(service: daemon)],
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
    /// How many of the simulator's workspaces the daemon serves (1: the single-workspace form).
    var workspaces = 1
    let logger: Logger

    func run() async throws {
        let server = try await simulator.server()
        let topics = TopicCatalog.all
        var configuration = DaemonConfiguration(
            file: "<demo>",
            intercom: .init(accessToken: Secret(server.token, source: .inline(key: "demo")), baseURL: server.baseURL),
            poll: .init(interval: interval, lookback: .seconds(600)),
            store: .init(path: storePath),
            triggers: .init(topics: topics, start: .now),
            destinations: [.init(name: "stdout", kind: .stdout, topics: topics)])
        var readable = readable
        if workspaces > 1 {
            configuration.workspaces = (1...workspaces).map { number in
                var intercom = configuration.intercom
                intercom.accessToken = Secret(server.hostedWorkspace(number).token, source: .inline(key: "demo"))
                return DaemonConfiguration.Workspace(
                    name: "demo-\(number)", intercom: intercom, triggers: configuration.triggers,
                    poll: configuration.poll)
            }
            readable?.workspaceNames = Dictionary(
                uniqueKeysWithValues: (1...workspaces).map {
                    (server.hostedWorkspace($0).workspace.configuration.workspaceID, "demo-\($0)")
                })
        }
        let every = ConfigDuration.format(interval)
        let what = workspaces > 1 ? "\(workspaces) simulated workspaces" : "simulated workspace"
        logger.info("demo: \(what) at \(server.baseURL), polling every \(every); events on stdout, Ctrl-C stops")
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
