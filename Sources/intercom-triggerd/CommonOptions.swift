import ArgumentParser
import Foundation
import IntercomTriggers
import Logging

/// `--config` and the way every command loads it: a bad file is one stderr line and exit 78.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = DaemonConfiguration.defaultPath

    @Option(name: .long, help: "Override the state database path from the configuration.")
    var store: String?

    func load() throws -> DaemonConfiguration {
        // Admin commands pointed at a store need no configuration file (and no token).
        if let store, !FileManager.default.fileExists(atPath: config) {
            return DaemonConfiguration(
                file: "<none>", intercom: .init(accessToken: Secret("", source: .inline(key: "access_token"))),
                store: .init(path: store))
        }
        do {
            var configuration = try DaemonConfiguration.load(
                path: config, environment: ProcessInfo.processInfo.environment)
            if let store { configuration.store.path = store }
            return configuration
        } catch {
            printError("\(error)")
            throw ExitCode(ConfigError.exitCode)
        }
    }

    /// Opens the store for an admin command (no daemon lock), or exits 69 with the reason.
    func openStore(_ configuration: DaemonConfiguration) throws -> StateStore {
        do {
            return try StateStore(path: configuration.store.path, role: .admin)
        } catch {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(69)
        }
    }
}

/// One line on stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Logs on stderr at `level` (events go to stdout, never mixed).
func bootstrapLogging(_ level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}

/// Now, in Unix seconds.
func unixNow() -> Int { Int(Date().timeIntervalSince1970) }
