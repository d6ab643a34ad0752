import Foundation

/// One-shot `intercom-triggerd` subcommands (`status`, `reset`, `check-config`, …), run to completion.
enum DaemonCommand {
    /// What a finished command printed and how it ended.
    struct Result: Sendable {
        /// How it ended.
        var termination: ProcessTermination
        /// Its stdout.
        var standardOutput: String
        /// Its stderr.
        var standardError: String
    }

    /// Runs `intercom-triggerd <arguments>` and waits for it (hang guard `timeout`).
    static func run(
        _ arguments: [String], in directory: TemporaryDirectory, timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let name = "command-\(UUID().uuidString.prefix(8))"
        let process = try ChildProcess(
            try BuiltBinaries.url(for: BuiltBinaries.daemon), arguments, in: directory, name: name)
        defer { process.kill() }
        let termination = try await process.waitForExit(timeout: timeout)
        return Result(
            termination: termination, standardOutput: process.standardOutput, standardError: process.standardError)
    }

    /// `status --config <path> --json`, parsed.
    static func status(config path: String, in directory: TemporaryDirectory) async throws -> DaemonStatus {
        let result = try await run(["status", "--config", path, "--json"], in: directory)
        guard result.termination == .exited(0) else {
            throw EndToEndError("status failed (\(result.termination)): \(result.standardError)")
        }
        return try DaemonStatus(json: Data(result.standardOutput.utf8))
    }

    /// `reset --config <path> --all --to <to>`; throws unless it exits 0.
    static func resetAll(config path: String, to: String, in directory: TemporaryDirectory) async throws {
        let result = try await run(["reset", "--config", path, "--all", "--to", to], in: directory)
        guard result.termination == .exited(0) else {
            throw EndToEndError("reset failed (\(result.termination)): \(result.standardError)")
        }
    }
}
