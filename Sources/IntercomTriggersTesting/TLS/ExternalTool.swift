import Foundation

/// Runs the command-line tools the TLS equipment is built on (`openssl`, `nginx`) without a shell.
enum ExternalTool {
    /// The first executable named `name` in the usual system directories.
    static func path(of name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TLSEquipmentError.toolMissing(name)
    }

    /// Runs `tool` with `arguments` in `directory` to its end; throws with its stderr when it fails.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws {
        let errors = Pipe()
        let process = try SpawnedProcess(
            executable: try path(of: tool), arguments: arguments, directory: directory.path,
            standardError: errors.fileHandleForWriting.fileDescriptor)
        try errors.fileHandleForWriting.close()
        // Read before waiting: a chatty tool must not block on a full pipe.
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        let ended = process.waitUntilExit()
        guard ended == .exited(0) else {
            throw TLSEquipmentError.commandFailed(
                command: ([tool] + arguments).joined(separator: " "), status: ended.status,
                output: String(decoding: output, as: UTF8.self))
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
