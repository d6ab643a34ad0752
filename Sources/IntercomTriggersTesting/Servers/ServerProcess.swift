import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A server run as a child process for a test (nginx, `openssl s_server`): started with its output going to a
/// log file, waited for until it accepts connections on its port, and stopped with SIGTERM, then SIGKILL.
final class ServerProcess: Sendable {
    /// Where the process's stdout and stderr go.
    let logFile: URL
    private let process: SpawnedProcess

    private init(process: SpawnedProcess, logFile: URL) {
        self.process = process
        self.logFile = logFile
    }

    /// What the process has written so far.
    var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the server while it runs (SIGSTOP, SIGKILL: failure tests).
    func send(_ signal: Int32) { process.send(signal) }

    /// The server's process id.
    var pid: pid_t { process.pid }

    /// Whether the server process is still running.
    var isRunning: Bool { process.isRunning }

    /// Starts `tool` (a name in the system directories, or a path) with `arguments` and waits (up to `timeout`) until 127.0.0.1:`port` accepts connections.
    /// Throws ``TLSEquipmentError/notListening(what:log:)`` if it exits first or takes too long; `isConflict`
    /// tells from the log whether the port was taken (the caller may retry on another).
    static func start(
        _ tool: String, _ arguments: [String], port: Int, logFile: URL, append: Bool = false,
        timeout: Duration = .seconds(20)
    ) async throws -> ServerProcess {
        if !append || !FileManager.default.fileExists(atPath: logFile.path) { try Data().write(to: logFile) }
        let output = try FileHandle(forWritingTo: logFile)
        defer { try? output.close() }
        if append { try output.seekToEnd() }
        // Started with no signal blocked (SpawnedProcess): it sees the SIGTERM that asks it to stop.
        let process = try SpawnedProcess(
            executable: try ExternalTool.path(of: tool), arguments: arguments,
            directory: logFile.deletingLastPathComponent().path, standardOutput: output.fileDescriptor,
            standardError: output.fileDescriptor)
        let server = ServerProcess(process: process, logFile: logFile)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if !process.isRunning {
                throw TLSEquipmentError.notListening(what: tool, log: server.log)
            }
            if LoopbackPort.acceptsConnections(port) {
                // A port another process holds answers too: nginx says so in its log while it retries binding.
                if server.log.contains("Address already in use") { break }
                return server
            }
            if clock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let log = server.log
        await server.stop()
        throw TLSEquipmentError.notListening(what: tool, log: log)
    }

    /// Whether a start failure's log says the port was taken.
    static func isConflict(_ error: any Error) -> Bool {
        guard case TLSEquipmentError.notListening(_, let log) = error else { return false }
        return log.contains("Address already in use")
    }

    /// Sends `signal` (SIGTERM unless told), waits up to `grace` for the process to end, then kills it.
    func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.send(signal)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while process.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            process.send(SIGKILL)
            await process.exited()
        }
    }
}
