import ArgumentParser
import Logging

/// `--log-level`, shared by the commands that run the daemon (`run`, `demo`): a bad level is a usage error
/// (exit 64) that lists the levels.
struct LogLevelOptions: ParsableArguments {
    /// A swift-log level as a command-line value.
    struct Level: ExpressibleByArgument {
        let level: Logger.Level

        init?(argument: String) {
            guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
            self.level = level
        }

        static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
    }

    @Option(name: .long, help: ArgumentHelp("Log level on stderr (run: overrides [log] level).", valueName: "level"))
    var logLevel: Level?

    /// The level given on the command line, else `fallback`.
    func level(or fallback: Logger.Level) -> Logger.Level { logLevel?.level ?? fallback }
}
