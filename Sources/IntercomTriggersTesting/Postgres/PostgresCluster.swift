import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away PostgreSQL cluster for a test: `initdb` into a temporary directory, the server on a free loopback
/// port and a unix socket in that directory, stopped and removed by ``stop()``.
///
/// PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user Debian's package creates
/// (through `setpriv`), otherwise as the caller. The server runs with `fsync=off`: a test never survives a crash of
/// the machine, and a crash of the server alone (``kill()``) loses nothing that was committed.
public final class PostgresCluster: Sendable {
    /// The database role every test connects as (a superuser; trust on the socket, a password over TCP when
    /// ``Options/password`` is set).
    public static let user = "triggerd"

    /// How to set the cluster up.
    public struct Options: Sendable {
        /// The role's password: TCP connections then need it (scram-sha-256); the socket still trusts.
        public var password: String?
        /// Extra server settings (`-c name=value`).
        public var settings: [String: String]

        public init(password: String? = nil, settings: [String: String] = [:]) {
            self.password = password
            self.settings = settings
        }
    }

    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The cluster's directory (data, socket, log); removed by ``stop()``.
    public let directory: URL
    /// How the cluster was set up.
    public let options: Options
    private let tools: Tools
    private let server: Mutex<ServerProcess?>

    private init(port: Int, directory: URL, options: Options, tools: Tools, server: ServerProcess) {
        self.port = port
        self.directory = directory
        self.options = options
        self.tools = tools
        self.server = Mutex(server)
    }

    /// The directory holding the server's unix socket (`host=` of a socket connection).
    public var socketDirectory: String { directory.appendingPathComponent("socket").path }

    /// What the server has logged so far.
    public var log: String { server.withLock { $0?.log } ?? "" }

    /// A `postgresql://` URL for `database` over TCP, with the password when `withPassword` and one is set.
    public func url(database: String, withPassword: Bool = false) -> String {
        let password = withPassword ? options.password.map { ":\($0)" } ?? "" : ""
        return "postgresql://\(Self.user)\(password)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates a new, empty database (named `name`, or a fresh unique name) and returns its name.
    @discardableResult
    public func createDatabase(_ name: String? = nil) async throws -> String {
        let name = name ?? "t_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        // Off the pool: every PostgreSQL store test starts with one, many at once.
        _ = try await ExternalTool.offPool { [self] in try sql("CREATE DATABASE \(name)") }
        return name
    }

    /// Drops `database`, ending its sessions first.
    public func dropDatabase(_ database: String) async throws {
        _ = try await ExternalTool.offPool { [self] in try sql("DROP DATABASE \(database) WITH (FORCE)") }
    }

    /// Runs `statement` through `psql` on the socket, as the superuser, in `database`; returns what it printed
    /// (unaligned, tuples only).
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        try ExternalTool.output(
            tools.psql,
            [
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", "\(port)", "-U",
                Self.user,
                "-d", database, "-c", statement,
            ], in: directory)
    }

    // MARK: - One cluster for a test process

    private static let sharedCluster = Mutex<Task<PostgresCluster, any Error>?>(nil)
    private static let sharedStarted = Mutex<PostgresCluster?>(nil)

    /// One cluster for every test of this process that only needs a database of its own (``createDatabase(_:)``):
    /// started at the first call, stopped and removed when the process exits. Tests that restart, kill or pause
    /// the server start their own with ``start(_:)``.
    public static func shared() async throws -> PostgresCluster {
        let starting = sharedCluster.withLock { state in
            if let state { return state }
            let starting = Task {
                let cluster = try await start()
                sharedStarted.withLock { $0 = cluster }
                atexit { PostgresCluster.stopSharedAtExit() }
                return cluster
            }
            state = starting
            return starting
        }
        return try await starting.value
    }

    /// At exit: asks the shared cluster's server for an immediate shutdown, gives it a moment, removes its files.
    private static func stopSharedAtExit() {
        guard let cluster = sharedStarted.withLock({ $0 }) else { return }
        if let pid = cluster.serverPID {
            _ = Glibc.kill(pid, SIGQUIT)
            for _ in 0..<100 where Glibc.kill(pid, 0) == 0 { usleep(20_000) }
        }
        try? FileManager.default.removeItem(at: cluster.directory)
    }

    /// The postmaster's process id while it runs.
    var serverPID: pid_t? { server.withLock { $0?.pid } }

    /// Removes clusters that tests of processes no longer running left behind (killed before their exit
    /// handler): their servers are shut down and their directories removed.
    static func removeLeftovers() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("intercom-postgres-") {
            let directory = temporary.appendingPathComponent(name)
            guard
                let text = try? String(contentsOf: directory.appendingPathComponent("owner.pid"), encoding: .utf8),
                let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                Glibc.kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            let postmaster = try? String(
                contentsOf: directory.appendingPathComponent("data/postmaster.pid"), encoding: .utf8)
            if let line = postmaster?.split(separator: "\n").first, let pid = pid_t(line), pid > 0 {
                _ = Glibc.kill(pid, SIGQUIT)
                for _ in 0..<100 where Glibc.kill(pid, 0) == 0 { usleep(20_000) }
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    // MARK: - Starting and stopping

    /// Starts a cluster, runs `body`, then stops it and removes its directory.
    public static func withRunning<T: Sendable>(
        _ options: Options = Options(), _ body: (PostgresCluster) async throws -> T
    ) async throws -> T {
        let cluster = try await start(options)
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Creates and starts a cluster on a free port (another one if the port was taken meanwhile). Call ``stop()``
    /// when done.
    public static func start(_ options: Options = Options()) async throws -> PostgresCluster {
        let tools = try Tools.find()
        removeLeftovers()
        let directory = try ExternalTool.temporaryDirectory("postgres")
        do {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("socket"), withIntermediateDirectories: true)
            try Data("\(getpid())\n".utf8).write(to: directory.appendingPathComponent("owner.pid"))
            try tools.handOver(directory)
            try await ExternalTool.offPool { try initialize(directory, options: options, tools: tools) }
            var attempt = 0
            while true {
                attempt += 1
                let port = try LoopbackPort.pickFree()
                do {
                    let server = try await launch(directory, port: port, options: options, tools: tools)
                    return PostgresCluster(
                        port: port, directory: directory, options: options, tools: tools, server: server)
                } catch {
                    if ServerProcess.isConflict(error), attempt < 5 { continue }
                    throw error
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Stops the server (a fast shutdown: open sessions are ended) and removes the cluster's directory.
    public func stop() async {
        await shutDown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the server with a fast shutdown (open sessions end, committed data stays) and starts it again on the
    /// same port and data: what a database restart looks like to its clients.
    public func restart() async throws {
        await shutDown()
        try await startAgain()
    }

    /// Kills the server with SIGKILL (its sessions die with it, as on a crash); ``startAgain()`` recovers it.
    public func kill() async {
        let running = server.withLock { server in
            defer { server = nil }
            return server
        }
        guard let running else { return }
        await running.stop(signal: SIGKILL)
        // The backends notice their postmaster died and exit; the new one waits for them (its own lock check).
    }

    /// Stops the server without removing anything (``startAgain()`` brings it back).
    public func shutDown() async {
        let running = server.withLock { server in
            defer { server = nil }
            return server
        }
        // SIGINT is PostgreSQL's fast shutdown; SIGTERM (a smart one) would wait for every client to leave.
        await running?.stop(signal: SIGINT, grace: .seconds(20))
    }

    /// Starts the server again after ``shutDown()`` or ``kill()``, on the same port and data.
    public func startAgain() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while true {
            do {
                let started = try await Self.launch(directory, port: port, options: options, tools: tools)
                server.withLock { $0 = started }
                return
            } catch {
                // The old postmaster's children may still hold the port or the data directory for a moment.
                guard clock.now < deadline else { throw error }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static func initialize(_ directory: URL, options: Options, tools: Tools) throws {
        var arguments = [
            "-D", directory.appendingPathComponent("data").path, "-U", user, "-E", "UTF8", "--locale=C", "--no-sync",
            "--no-instructions", "--auth-local=trust",
        ]
        if let password = options.password {
            let file = directory.appendingPathComponent("password")
            try Data(password.utf8).write(to: file)
            try tools.handOver(file)
            arguments += ["--auth-host=scram-sha-256", "--pwfile=\(file.path)"]
        } else {
            arguments += ["--auth-host=trust"]
        }
        try ExternalTool.run(tools.launcher, tools.launcherArguments + [tools.initdb] + arguments, in: directory)
    }

    private static func launch(_ directory: URL, port: Int, options: Options, tools: Tools) async throws
        -> ServerProcess
    {
        var settings = [
            "listen_addresses": "127.0.0.1", "fsync": "off", "full_page_writes": "off", "max_connections": "200",
            "shared_buffers": "32MB", "log_min_messages": "warning",
        ]
        settings.merge(options.settings) { $1 }
        let arguments =
            [
                tools.postgres, "-D", directory.appendingPathComponent("data").path, "-p", "\(port)", "-k",
                directory.appendingPathComponent("socket").path,
            ]
            + settings.sorted { $0.key < $1.key }.flatMap { ["-c", "\($0.key)=\($0.value)"] }
        let log = directory.appendingPathComponent("server.log")
        let server = try await ServerProcess.start(
            tools.launcher, tools.launcherArguments + arguments, port: port, logFile: log, append: true)
        // Listening is not ready: until recovery is done every session is refused ("starting up").
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while true {
            do {
                _ = try await ExternalTool.offPool {
                    try ExternalTool.output(
                        tools.psql,
                        [
                            "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", "postgres",
                            "-c", "SELECT 1",
                        ], in: directory, environment: ["PGPASSWORD": options.password ?? ""])
                }
                return server
            } catch {
                guard server.isRunning, clock.now < deadline else {
                    await server.stop(signal: SIGQUIT)
                    throw TLSEquipmentError.notListening(what: "postgres", log: server.log)
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    // MARK: - The binaries

    /// Where PostgreSQL's programs are and how to run them as a user the server accepts.
    struct Tools: Sendable {
        var initdb: String
        var postgres: String
        var psql: String
        /// `setpriv` as root (to become `postgres`); the server binary itself otherwise (launcherArguments empty).
        var launcher: String
        var launcherArguments: [String]
        var owner: (uid: uid_t, gid: gid_t)?

        /// The newest PostgreSQL under `/usr/lib/postgresql/*/bin` (Debian's layout), or on the PATH's usual
        /// directories.
        static func find() throws -> Tools {
            let root = "/usr/lib/postgresql"
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
                .compactMap(Int.init).sorted(by: >)
            let binaries =
                versions.map { "\(root)/\($0)/bin" } + ["/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin"]
            guard
                let bin = binaries.first(where: {
                    FileManager.default.isExecutableFile(atPath: "\($0)/initdb")
                        && FileManager.default.isExecutableFile(atPath: "\($0)/postgres")
                })
            else {
                throw TLSEquipmentError.notInstalled(
                    "PostgreSQL's initdb and postgres are not installed (Debian: apt-get install postgresql)")
            }
            let psql = FileManager.default.isExecutableFile(atPath: "\(bin)/psql") ? "\(bin)/psql" : "/usr/bin/psql"
            guard geteuid() == 0 else {
                return Tools(
                    initdb: "\(bin)/initdb", postgres: "\(bin)/postgres", psql: psql, launcher: "/usr/bin/env",
                    launcherArguments: [], owner: nil)
            }
            guard let account = getpwnam("postgres") ?? getpwnam("nobody") else {
                throw TLSEquipmentError.notInstalled(
                    "no 'postgres' user to run PostgreSQL as (Debian: apt-get install postgresql)")
            }
            let uid = account.pointee.pw_uid
            let gid = account.pointee.pw_gid
            return Tools(
                initdb: "\(bin)/initdb", postgres: "\(bin)/postgres", psql: psql, launcher: "setpriv",
                launcherArguments: ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"], owner: (uid, gid))
        }

        /// Gives `url` (and, for a directory, what is in it) to the user the server runs as.
        func handOver(_ url: URL) throws {
            guard let owner else { return }
            var paths = [url.path]
            if let contents = FileManager.default.enumerator(atPath: url.path) {
                paths += contents.compactMap { $0 as? String }.map { url.appendingPathComponent($0).path }
            }
            for path in paths where chown(path, owner.uid, owner.gid) != 0 {
                throw POSIXError(.init(rawValue: errno) ?? .EPERM)
            }
        }
    }
}
