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

    /// - Parameter tokenRequired: false for commands that use the store only.
    func load(tokenRequired: Bool = true) throws -> DaemonConfiguration {
        // Admin commands pointed at a store need no configuration file (and no token).
        if let store, !FileManager.default.fileExists(atPath: config) {
            return DaemonConfiguration(
                file: Self.noFile, intercom: .init(accessToken: Secret("", source: .absent)),
                store: .init(path: store))
        }
        do {
            return try Self.read(config, store: store, tokenRequired: tokenRequired)
        } catch {
            printError("\(error)")
            throw ExitCode(ConfigError.exitCode)
        }
    }

    /// The configuration's `file` when `--store` was given and the file does not exist.
    static let noFile = "<none>"

    /// The file at `config` with the `--store` override applied (`run` re-reads it this way on SIGHUP).
    static func read(_ config: String, store: String?, tokenRequired: Bool = true)
        throws(ConfigError) -> DaemonConfiguration
    {
        var configuration = try DaemonConfiguration.load(
            path: config, environment: ProcessInfo.processInfo.environment, tokenRequired: tokenRequired)
        if let store { configuration.store = DaemonConfiguration.Store(path: store) }
        return configuration
    }

    /// Loads the configuration (no token needed), opens its store for an admin command (no daemon lock; acting as
    /// the SQLite store's owner when run as root), runs `body` with both and closes the store; exits 78, 77, 65 (a
    /// newer version's store) or 69 with the reason when the store cannot be opened.
    func withStore<T: Sendable>(_ body: (DaemonConfiguration, StateStore) async throws -> T) async throws -> T {
        let configuration = try load(tokenRequired: false)
        try actAsStoreOwner(configuration)
        var opened = false
        do {
            return try await StateStore.withOpened(configuration.store.location, role: .admin) { store in
                opened = true
                return try await body(configuration, store)
            }
        } catch let error as StoreError where !opened {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(error.exitCode)
        }
    }
}

extension ConfigOptions {
    /// The workspaces of the configuration (none can be called unconfigured without a configuration file) and of
    /// the store.
    func workspaces(_ configuration: DaemonConfiguration, store: StateStore) async throws -> AdminWorkspaces {
        try await AdminWorkspaces.load(
            configured: configuration.file == Self.noFile ? nil : configuration.workspaces.map(\.name), store: store)
    }

    /// The rows `--workspace name` selects (every workspace's when nil); refuses (exit 64, one line on stderr
    /// naming the known workspaces) a name neither the configuration nor the store knows.
    func scope(_ name: String?, among workspaces: AdminWorkspaces) throws -> AdminWorkspaces.Scope {
        do {
            return try workspaces.scope(named: name)
        } catch {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(64)
        }
    }

    /// Refuses (exit 64, one line on stderr) a `--destination` that is neither configured nor in the store.
    func checkDestination(_ name: String, in configuration: DaemonConfiguration, store: StateStore) async throws {
        do {
            try await DeliveryAdmin.checkDestination(
                name, configured: configuration.destinations.map(\.name), store: store)
        } catch let error as DeliveryAdmin.UnknownDestination {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(64)
        }
    }

    /// Run as root on a store whose directory belongs to another user (the service user), becomes that user, so the
    /// files SQLite creates stay theirs; exits 77 with the reason when that is not possible or not safe.
    func actAsStoreOwner(_ configuration: DaemonConfiguration) throws {
        guard configuration.store.postgres == nil else { return }  // no files of ours to keep the owner's
        do {
            try PrivilegeDrop().actAsOwner(ofStoreAt: configuration.store.path)
        } catch {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(PrivilegeDropError.exitCode)
        }
    }
}

/// `--workspace NAME` of the admin commands that act on the store.
struct WorkspaceOption: ParsableArguments {
    @Option(help: "Only this workspace's rows (its name in the configuration); without it, every workspace's.")
    var workspace: String?
}

/// One line on stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Logs on stderr at `level` (events go to stdout, never mixed): with journald priority prefixes when stderr
/// is the journal stream systemd set up, plain timestamped lines otherwise (docs/logging.md).
func bootstrapLogging(_ level: Logger.Level) {
    let format = JournalLogHandler.format(environment: ProcessInfo.processInfo.environment)
    LoggingSystem.bootstrap { label in
        JournalLogHandler.standardError(label: label, level: level, format: format)
    }
}

/// Now, in Unix seconds.
func unixNow() -> Int { Int(Date().timeIntervalSince1970) }
