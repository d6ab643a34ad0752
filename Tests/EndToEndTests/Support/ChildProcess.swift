import Foundation
import IntercomTriggersTesting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One built executable running as a child process, its stdout and stderr captured in files of a
/// ``TemporaryDirectory`` (files rather than pipes: nothing to drain, nothing blocks, and they survive the
/// process for the failure message).
///
/// Always end it: ``kill()`` is synchronous so it can sit in a `defer`, and releasing the value SIGKILLs a child
/// still running, so a failing test never leaves processes behind.
final class ChildProcess: Sendable {

    /// Where the child's stdout goes.
    enum StandardOutput: Sendable {
        /// A file (``stdoutPath``).
        case file
        /// A pipe whose read end is closed right after launch: every write fails with EPIPE (or SIGPIPE).
        case closedPipe
    }

    /// The executable.
    let executable: URL
    /// Its arguments.
    let arguments: [String]
    /// The file holding everything written to stdout so far (empty for ``StandardOutput/closedPipe``).
    let stdoutPath: String
    /// The file holding everything written to stderr so far.
    let stderrPath: String

    private let process: SpawnedProcess

    /// Starts `executable` with `arguments`; stdout and stderr go to `<name>.stdout` and `<name>.stderr` in
    /// `directory` (use a different `name` for each launch).
    init(
        _ executable: URL, _ arguments: [String], in directory: TemporaryDirectory, name: String,
        stdout: StandardOutput = .file, environment: [String: String]? = nil
    ) throws {
        self.executable = executable
        self.arguments = arguments
        stdoutPath = directory.path("\(name).stdout")
        stderrPath = directory.path("\(name).stderr")
        let errorHandle = try Self.createFile(stderrPath)
        let outputHandle = try Self.createFile(stdoutPath)
        defer {
            try? errorHandle.close()
            try? outputHandle.close()
        }
        var pipe: Pipe?
        if stdout == .closedPipe { pipe = Pipe() }
        defer {
            try? pipe?.fileHandleForReading.close()
            try? pipe?.fileHandleForWriting.close()
        }
        do {
            process = try SpawnedProcess(
                executable: executable.path, arguments: arguments, environment: environment,
                directory: directory.url.path,
                standardOutput: pipe?.fileHandleForWriting.fileDescriptor ?? outputHandle.fileDescriptor,
                standardError: errorHandle.fileDescriptor)
        } catch {
            throw EndToEndError("Could not start \(executable.path): \(error)")
        }
    }

    deinit {
        kill()
    }

    /// The child's process id.
    var pid: Int32 { process.pid }

    /// Whether the child has not exited yet.
    var isRunning: Bool { process.isRunning }

    /// How it ended, once it has.
    var termination: ProcessTermination? {
        switch process.termination {
        case nil: nil
        case .exited(let status): .exited(status)
        case .killed(by: let signal): .killed(by: signal)
        }
    }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL, …) if the child still runs.
    func send(_ signal: Int32) {
        process.send(signal)
    }

    /// SIGKILLs the child if it still runs and waits for it: safe in a `defer`.
    func kill() {
        guard process.isRunning else { return }
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the child to exit; SIGKILLs it and throws when it has not within `timeout` (a hang guard).
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> ProcessTermination {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while process.isRunning {
            if clock.now >= deadline {
                kill()
                throw EndToEndError(
                    "\(executable.lastPathComponent) did not exit within \(timeout); killed it. stderr:\n"
                        + standardErrorTail())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return termination ?? .exited(process.waitUntilExit().status)
    }

    /// Everything the child wrote to stdout so far.
    var standardOutput: String { Self.read(stdoutPath) }

    /// Everything the child wrote to stderr so far.
    var standardError: String { Self.read(stderrPath) }

    /// The complete lines on stdout so far; a last line without its newline (still being written, or cut off by
    /// SIGKILL) is left out.
    var completeOutputLines: [String] {
        var lines = standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the text after the last newline: "" or an incomplete line
        return lines.filter { !$0.isEmpty }
    }

    /// The last few lines of stderr, for failure messages.
    func standardErrorTail(lines count: Int = 30) -> String {
        standardError.split(separator: "\n").suffix(count).joined(separator: "\n")
    }

    private static func createFile(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw EndToEndError("Could not create \(path)") }
        return handle
    }

    private static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
