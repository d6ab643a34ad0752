import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// nginx (from Debian: `nginx`, `libnginx-mod-stream`) terminating TLS on 127.0.0.1 in front of a plain
/// HTTP/1.1 backend such as a ``ScriptedHTTPServer``, started as a child process with a generated
/// configuration in a temporary directory (see ``TLSTerminatorConfiguration``). Runs as root and as any other
/// user. Use ``withRunning(_:_:)``: it waits until the port accepts connections, and afterwards stops nginx and
/// removes the directory.
public final class TLSTerminator: Sendable {
    /// The port nginx listens on (127.0.0.1).
    public let port: Int
    /// What it serves.
    public let configuration: TLSTerminatorConfiguration
    /// The temporary directory holding the configuration and the logs.
    public let directory: URL
    private let process: ServerProcess

    private init(port: Int, configuration: TLSTerminatorConfiguration, directory: URL, process: ServerProcess) {
        self.port = port
        self.configuration = configuration
        self.directory = directory
        self.process = process
    }

    /// `https://127.0.0.1:PORT`.
    public var baseURL: String { "https://127.0.0.1:\(port)" }

    /// `https://127.0.0.1:PORT` + `path` (or `https://localhost:PORT` + `path`).
    public func url(_ path: String = "/hook", host: String = "127.0.0.1") -> URL {
        URL(string: "https://\(host):\(port)\(path)")!
    }

    /// nginx's error log so far (handshake failures are logged at `info`).
    public var errorLog: String { process.log }

    /// The requests logged so far (http2 mode; the stream module logs none), oldest first.
    public func accessLog() -> [AccessLogEntry] {
        let file = directory.appendingPathComponent("access.log")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap(AccessLogEntry.init(line:))
    }

    /// One line of the http2 mode's access log (``TLSTerminatorConfiguration/accessLogFormat``).
    public struct AccessLogEntry: Sendable, Hashable {
        /// nginx's serial number of the client connection.
        public var connection: Int
        /// The request's number on that connection (1 for the first).
        public var connectionRequest: Int
        /// `HTTP/2.0` or `HTTP/1.1`.
        public var serverProtocol: String
        public var status: Int
        public var uri: String

        init?(line: Substring) {
            let fields = line.split(separator: " ")
            guard fields.count == 5, let connection = Int(fields[0]), let request = Int(fields[1]),
                let status = Int(fields[3])
            else { return nil }
            self.connection = connection
            self.connectionRequest = request
            self.serverProtocol = String(fields[2])
            self.status = status
            self.uri = String(fields[4])
        }
    }

    /// Starts nginx per `configuration`, runs `body`, then stops it and removes its files.
    public static func withRunning<T: Sendable>(
        _ configuration: TLSTerminatorConfiguration, _ body: (TLSTerminator) async throws -> T
    ) async throws -> T {
        let terminator = try await start(configuration)
        do {
            let result = try await body(terminator)
            await terminator.stop()
            return result
        } catch {
            await terminator.stop()
            throw error
        }
    }

    /// Starts nginx on a free port (another one if the port was taken meanwhile). Call ``stop()`` when done.
    public static func start(_ configuration: TLSTerminatorConfiguration) async throws -> TLSTerminator {
        var attempt = 0
        while true {
            attempt += 1
            let directory = try ExternalTool.temporaryDirectory("nginx")
            do {
                let port = try LoopbackPort.pickFree()
                let file = directory.appendingPathComponent("nginx.conf")
                let text = configuration.nginxConfiguration(
                    port: port, directory: directory.path, runAsRoot: rootUser())
                try text.write(to: file, atomically: true, encoding: .utf8)
                let process = try await ServerProcess.start(
                    "nginx", ["-p", directory.path + "/", "-c", file.path, "-e", "stderr"], port: port,
                    logFile: directory.appendingPathComponent("error.log"))
                return TLSTerminator(port: port, configuration: configuration, directory: directory, process: process)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                if ServerProcess.isConflict(error), attempt < 5 { continue }
                throw error
            }
        }
    }

    /// Stops nginx (SIGTERM, then SIGKILL) and removes its directory.
    public func stop() async {
        await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The user and group nginx's `user` directive names when running as root: root's own.
    private static func rootUser() -> (name: String, group: String)? {
        guard geteuid() == 0 else { return nil }
        let name = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"
        let group = getgrgid(getegid()).map { String(cString: $0.pointee.gr_name) } ?? "root"
        return (name, group)
    }
}
