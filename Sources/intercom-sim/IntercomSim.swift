import ArgumentParser
import Foundation
import IntercomSimulator
import Logging
import ServiceLifecycle

/// `intercom-sim`: simulated Intercom workspaces on a local port. Prints the base URL as the first line on
/// stdout (so scripts started with `--port 0` can find it) and nothing else there, logs to stderr, stops
/// cleanly on SIGINT/SIGTERM.
@main
struct IntercomSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intercom-sim",
        abstract: "Simulated Intercom workspaces on a local port.",
        discussion: """
            With --workspaces N, workspace k answers to the token '<token>-k' (sim-token-1 ... sim-token-N); \
            '<token>' alone is workspace 1. Control endpoints under /__sim/ take ?workspace=k (default 1).
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 4010

    @Option(
        help: "The access token accepted as 'Authorization: Bearer <token>'; workspace k also answers to '<token>-k'.")
    var token = "sim-token"

    @Option(help: "Workspaces to serve (1-10000), each with its own token, records, rate limit and faults.")
    var workspaces = 1

    @Option(help: "IANA timezone of workspace 1 (contact date filters use its calendar days); the others vary.")
    var timezone = WorkspaceConfiguration().timezone

    @Option(help: "Contacts each workspace holds from the start.")
    var contacts = 0

    @Option(help: "Conversations each workspace holds from the start.")
    var conversations = 0

    @Option(help: "Companies each workspace holds from the start.")
    var companies = 0

    @Option(help: "How long a new or changed record stays invisible to search, e.g. 30s.")
    var indexLag = "0s"

    @Option(help: "Requests allowed per 10-second window, per workspace (Intercom's default: 1667).")
    var rateLimit = 1667

    @Option(help: "Share of API requests (0-1) answered with a 500, 502, 503 or 504.")
    var errorRate = 0.0

    @Option(help: "Delay added to every API response, e.g. 50ms.")
    var latency = "0ms"

    @Option(help: "Share of API requests (0-1) whose body is cut in half.")
    var truncateRate = 0.0

    @Option(
        help: ArgumentHelp(
            "Faults of some workspaces from the start, over the fault flags; repeatable.",
            discussion: "e.g. 3:revoked, 2-10:latency=5s,error-rate=0.5 (settings: revoked, latency, error-rate, "
                + "truncate-rate).",
            valueName: "workspaces:settings"))
    var workspaceFaults: [String] = []

    @Flag(help: "Match contact date filters by the exact second instead of by calendar day.")
    var exactSecondDates = false

    @Option(help: "Seed of the fault generator and the seed data, for reproducible runs.")
    var seed: UInt64 = 1

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    /// Parses and runs, reporting any bad flag value as one line on stderr with exit code 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code != .success, !(error is ExitCode) else { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("intercom-sim: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535, got \(port)") }
        guard !token.isEmpty else { throw ValidationError("--token must not be empty") }
        let counts = SimulatorConfiguration.workspaceCounts
        guard counts.contains(workspaces) else {
            throw ValidationError(
                "--workspaces must be \(counts.lowerBound)-\(counts.upperBound), got \(workspaces)")
        }
        guard TimeZone(identifier: timezone) != nil else {
            throw ValidationError("--timezone '\(timezone)' is not an IANA timezone, e.g. Europe/Dublin")
        }
        for (flag, count) in [("--contacts", contacts), ("--conversations", conversations), ("--companies", companies)]
        where count < 0 {
            throw ValidationError("\(flag) must be 0 or more, got \(count)")
        }
        guard DurationParser.parse(indexLag) != nil else {
            throw ValidationError("--index-lag '\(indexLag)' is not a duration, e.g. 30s or 500ms")
        }
        guard rateLimit >= 1 else { throw ValidationError("--rate-limit must be 1 or more, got \(rateLimit)") }
        for (flag, rate) in [("--error-rate", errorRate), ("--truncate-rate", truncateRate)]
        where !(0...1).contains(rate) {
            throw ValidationError("\(flag) must be between 0 and 1, got \(rate)")
        }
        guard DurationParser.parse(latency) != nil else {
            throw ValidationError("--latency '\(latency)' is not a duration, e.g. 50ms")
        }
        for text in workspaceFaults {
            do {
                _ = try WorkspaceFaultSpec(text, workspaceCount: workspaces)
            } catch {
                throw ValidationError(error.description)
            }
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level '\(logLevel)' must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = {
            var logger = Logger(label: "intercom-sim")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return logger
        }()

        var configuration = SimulatorConfiguration(
            host: host,
            port: port,
            token: token,
            workspace: WorkspaceConfiguration(
                timezone: timezone,
                indexLag: DurationParser.seconds(DurationParser.parse(indexLag) ?? .zero),
                exactSecondContactDates: exactSecondDates
            ),
            workspaceCount: workspaces,
            rateLimitPerWindow: rateLimit,
            faults: FaultSettings(
                serverErrorRate: errorRate, latency: DurationParser.parse(latency) ?? .zero,
                truncatedBodyRate: truncateRate),
            seed: seed,
            seedContacts: contacts,
            seedConversations: conversations,
            seedCompanies: companies,
            logger: logger
        )
        // Later values win where they overlap; validate() has parsed each one already.
        for spec in workspaceFaults.compactMap({ try? WorkspaceFaultSpec($0, workspaceCount: workspaces) }) {
            for number in spec.workspaces {
                configuration.workspaceFaults[number] = spec.applied(
                    to: configuration.workspaceFaults[number] ?? configuration.faults)
            }
        }
        let service = SimulatorService(configuration: configuration) { server in
            // The first stdout line is the contract with scripts; write it unbuffered.
            FileHandle.standardOutput.write(Data("\(server.baseURL.absoluteString)\n".utf8))
            logger.info(
                "Simulated Intercom listening",
                metadata: ["url": "\(server.baseURL)", "workspaces": "\(server.workspaceCount)"])
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            throw RunFailure(description: "cannot serve on \(host):\(port): \(error)")
        }
    }

    /// A failure after the flags were accepted (e.g. the port is taken): one line, exit code 1.
    struct RunFailure: Error, CustomStringConvertible {
        var description: String
    }
}
