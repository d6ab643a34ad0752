import Foundation
import Synchronization

/// Runs the command-line tools test equipment is built on (`openssl`, `nginx`, PostgreSQL's) without a shell.
enum ExternalTool {
    /// The first executable named `name` in the usual system directories (`name` itself when it is a path).
    static func path(of name: String) throws -> String {
        if name.hasPrefix("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else { throw TLSEquipmentError.toolMissing(name) }
            return name
        }
        for directory in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TLSEquipmentError.toolMissing(name)
    }

    /// Runs `tool` with `arguments` in `directory` to its end; throws with its stderr when it fails.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws {
        _ = try output(tool, arguments, in: directory)
    }

    /// Runs `tool` like ``run(_:_:in:)`` and returns what it wrote to stdout.
    static func output(
        _ tool: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> String {
        let errors = Pipe()
        let output = Pipe()
        let process = try SpawnedProcess(
            executable: try path(of: tool), arguments: arguments,
            environment: environment.isEmpty
                ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
            directory: directory.path, standardOutput: output.fileHandleForWriting.fileDescriptor,
            standardError: errors.fileHandleForWriting.fileDescriptor)
        try errors.fileHandleForWriting.close()
        try output.fileHandleForWriting.close()
        // Read both before waiting, on two threads: a chatty tool must not block on a full pipe.
        let printed = Mutex(Data())
        let done = DispatchSemaphore(value: 0)
        let outputReader = Thread {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            printed.withLock { $0 = data }
            done.signal()
        }
        outputReader.start()
        let complaints = errors.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let ended = process.waitUntilExit()
        guard ended == .exited(0) else {
            throw TLSEquipmentError.commandFailed(
                command: ([tool] + arguments).joined(separator: " "), status: ended.status,
                output: String(decoding: complaints, as: UTF8.self))
        }
        return String(decoding: printed.withLock { $0 }, as: UTF8.self)
    }

    /// Runs `work` — blocking: a tool run to its end — on a thread of its own and awaits its result, so that no
    /// wait holds a thread of Swift's cooperative pool (two on a 2-core CI host: two such waits at once stall every
    /// other test of the process, and their timeouts fire).
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// A new, empty directory under the system's temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("intercom-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
