import Foundation
import IntercomTriggersTesting

/// `intercom-triggerd run --config <file>` as a child process: events on stdout (captured), logs on stderr.
final class DaemonProcess: Sendable {
    /// The child process.
    let process: ChildProcess
    /// The configuration file it runs with.
    let configPath: String

    /// Starts the daemon; `name` tells apart the capture files of successive launches in one directory.
    init(
        config configPath: String, in directory: TemporaryDirectory, name: String = "daemon",
        stdout: ChildProcess.StandardOutput = .file, extraArguments: [String] = []
    ) throws {
        self.configPath = configPath
        process = try ChildProcess(
            try BuiltBinaries.url(for: BuiltBinaries.daemon), ["run", "--config", configPath] + extraArguments,
            in: directory, name: name, stdout: stdout)
    }

    /// The events printed so far (complete lines only).
    /// - Throws: when stdout holds a line that is not an event.
    func events() throws -> [EmittedEvent] {
        try EmittedEvent.parse(process.completeOutputLines)
    }

    /// Waits for the "intercom-triggerd started" log line: the store is open and migrated, so admin commands
    /// (`status`, `reset`) may open it now. (An admin command racing the daemon's first migration of a new
    /// store can fail with "table … already exists".)
    func waitUntilStarted(timeout: Duration = .seconds(30)) async throws {
        try await eventually("the daemon logs that it started", timeout: timeout, interval: .milliseconds(20)) {
            guard process.isRunning else {
                throw EndToEndError("daemon exited (\(process.termination!)): \(process.standardErrorTail())")
            }
            return process.standardError.contains("intercom-triggerd started")
        }
    }

    /// Sends `signal` and waits for the exit (hang guard `timeout`).
    @discardableResult
    func stop(with signal: Int32 = SIGTERM, timeout: Duration = .seconds(30)) async throws -> ProcessTermination {
        process.send(signal)
        return try await process.waitForExit(timeout: timeout)
    }

    /// SIGKILLs the daemon if it runs and waits: safe in a `defer`.
    func kill() {
        process.kill()
    }
}
