import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The store in a PostgreSQL database (#16): the same tables and meanings as ``SQLiteStore``, for several daemons
/// (and admin commands from any host) sharing one database.
///
/// A connection pool (postgres-nio's `PostgresClient`) runs for as long as the store is open: ``withOpened(_:role:logger:_:)``
/// runs it beside the caller's work and ends it after. Writes are transactions at READ COMMITTED with the rows they
/// depend on locked; every time it records is the caller's, like the SQLite store's.
final class PostgresStore: StateStoreBackend {
    /// Where the database is (password included).
    let location: PostgresStoreLocation
    /// How the store was opened.
    let role: StateStore.Role
    let client: PostgresClient
    let logger: Logger
    private let readCount = Atomic(0)
    private let writeCount = Atomic(0)

    private init(location: PostgresStoreLocation, role: StateStore.Role, client: PostgresClient, logger: Logger) {
        self.location = location
        self.role = role
        self.client = client
        self.logger = logger
    }

    var accesses: (reads: Int, writes: Int) {
        (readCount.load(ordering: .relaxed), writeCount.load(ordering: .relaxed))
    }

    /// Opens the store at `location` (migrating its schema if needed), runs `body` with it, and closes its
    /// connections when `body` returns or throws.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the database cannot be reached,
    ///   ``StoreError/migrationFailed(path:reason:)`` or ``StoreError/schemaTooNew(path:)``; what `body` throws.
    static func withOpened<T: Sendable>(
        _ location: PostgresStoreLocation, role: StateStore.Role, logger: Logger,
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: try configuration(location), backgroundLogger: logger)
        let store = PostgresStore(location: location, role: role, client: client, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            try await PostgresSchema.migrate(store)
            return try await body(store)
        }
    }

    /// The pool's settings for `location`.
    static func configuration(_ location: PostgresStoreLocation) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let directory = location.socketDirectory {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(directory)/.s.PGSQL.\(location.port)", username: location.user,
                password: location.password, database: location.database)
        } else {
            configuration = PostgresClient.Configuration(
                host: location.host ?? "localhost", port: location.port, username: location.user,
                password: location.password, database: location.database, tls: try tls(location))
        }
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 10
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(10))
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "\(location.idleTransactionLimit.components.seconds)s")
        ]
        return configuration
    }

    /// How long the server lets a transaction of this daemon wait for its next statement before it ends the
    /// session. A daemon stopped in the middle of a page's commit (SIGSTOP, a stalled VM) holds its lease row's
    /// lock (``checkFence(_:workspace:_:_:)``) and the rows it wrote; without this the daemon taking its
    /// workspaces over would wait on those locks for as long as the pause lasts. No longer than the shortest lease
    /// less the renewal step (3 s − 1 s), so the locks are gone by the time the lease runs out; a healthy daemon
    /// sends its next statement within milliseconds.
    static let idleInTransactionTimeout: Duration = .seconds(2)

    private static func tls(_ location: PostgresStoreLocation) throws -> PostgresClient.Configuration.TLS {
        guard let tls = try tlsConfiguration(location) else { return .disable }
        return location.tls == .prefer ? .prefer(tls) : .require(tls)
    }

    /// The TLS settings `location`'s `sslmode` asks for; nil for none.
    private static func tlsConfiguration(_ location: PostgresStoreLocation) throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable: return nil
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = location.rootCertificate {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
            } catch {
                throw StoreError.cannotOpen(
                    path: location.redacted, reason: "cannot read sslrootcert \(root): \(error)")
            }
        }
        return tls
    }

    /// Opens one connection to `location` outside the pool, failing within the connect timeout: the pool itself
    /// retries an unreachable server for a minute before it gives up, and says less about why.
    static func connect(_ location: PostgresStoreLocation, logger: Logger) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let directory = location.socketDirectory {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(directory)/.s.PGSQL.\(location.port)", username: location.user,
                password: location.password, database: location.database)
        } else {
            var tls = PostgresConnection.Configuration.TLS.disable
            if let settings = try tlsConfiguration(location) {
                do {
                    let context = try NIOSSLContext(configuration: settings)
                    tls = location.tls == .prefer ? .prefer(context) : .require(context)
                } catch {
                    throw StoreError.cannotOpen(path: location.redacted, reason: "TLS settings: \(error)")
                }
            }
            configuration = PostgresConnection.Configuration(
                host: location.host ?? "localhost", port: location.port, username: location.user,
                password: location.password, database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(5)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw StoreError.cannotOpen(path: location.redacted, reason: reason(error))
        }
    }

    /// Nothing to do: the connections close when ``withOpened(_:role:logger:_:)``'s body ends.
    func close() throws {}

    // MARK: - Transactions

    /// Runs `body` in one write transaction on a connection of the pool, mapping failures to
    /// ``StoreError/database(operation:reason:)``; rolled back when `body` throws.
    func write<T: Sendable>(
        _ operation: String, isolation: String = "READ COMMITTED", timeout: Duration = .seconds(60),
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        writeCount.add(1, ordering: .relaxed)
        return try await transaction(operation, begin: "BEGIN ISOLATION LEVEL \(isolation)", timeout: timeout) {
            [role, logger] connection in
            let result = try await body(connection)
            if role == .admin {
                // An admin's write is what the daemons' look (``outsideWriteVersion()``) is for; the notification
                // (sent at commit) wakes their lanes at once.
                try await connection.run(
                    "UPDATE store_clock SET outside_writes = outside_writes + 1", logger: logger)
                try await connection.run(Self.notifyOutbox, logger: logger)
            }
            return result
        }
    }

    /// Runs `body` in one read-only transaction that sees one snapshot of the database.
    func read<T: Sendable>(
        _ operation: String, timeout: Duration = .seconds(60),
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        readCount.add(1, ordering: .relaxed)
        return try await transaction(
            operation, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", timeout: timeout, body)
    }

    /// How far a transaction got: what its deadline reports, and the connection it closes when it gives up.
    private final class TransactionProgress: Sendable {
        private let state = Mutex<(stage: String, connection: PostgresConnection?)>(("waiting for a connection", nil))

        func reached(_ stage: String, on connection: PostgresConnection? = nil) {
            state.withLock { state in
                state.stage = stage
                if let connection { state.connection = connection }
            }
        }

        var current: (stage: String, connection: PostgresConnection?) { state.withLock { $0 } }
    }

    /// How long an operation waits for a connection of the pool: while the server is unreachable the pool would
    /// hold a request for about a minute, and a lease keeper that waits that long loses its leases.
    static let connectionWait: Duration = .seconds(5)

    /// How often a transaction's watchdog looks at it, and how long a query may go on after its connection closed.
    static let watchdogStep: Duration = .seconds(1)

    /// Runs `body` between `begin` and COMMIT on a connection of the pool, giving up (``StoreError/database(operation:reason:)``)
    /// when no connection comes within ``connectionWait`` or no answer within `timeout` — and then without waiting
    /// for the query in flight: after a restart of the server postgres-nio can leave one unanswered for good
    /// (``DeadlineRace``). The connection it was on is closed.
    private func transaction<T: Sendable>(
        _ operation: String, begin: String, timeout: Duration,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let progress = TransactionProgress()
        let wait = min(timeout, Self.connectionWait)
        do {
            return try await DeadlineRace.run { [client, logger] in
                try await client.withConnection { connection in
                    progress.reached("BEGIN", on: connection)
                    try await connection.run(PostgresQuery(unsafeSQL: begin), logger: logger)
                    do {
                        progress.reached("the transaction's statements")
                        let result = try await body(connection)
                        progress.reached("COMMIT")
                        try await connection.run("COMMIT", logger: logger)
                        return result
                    } catch {
                        // On a closed connection the server rolled back already (and the query could wait forever).
                        var broken = connection.isClosed
                        if !broken {
                            progress.reached("ROLLBACK")
                            do { _ = try await connection.query("ROLLBACK", logger: logger) } catch { broken = true }
                        }
                        if broken {
                            // Released before the pool has seen it close, the connection could be handed to the
                            // next transaction, which would fail on it too; the pool's close handler runs before
                            // this wait ends.
                            progress.reached("closing a broken connection")
                            connection.close().whenComplete { _ in }
                            try? await connection.closeFuture.get()
                        }
                        throw error
                    }
                }
            } watchdog: { [logger] in
                let started = ContinuousClock.now
                var closedAt: ContinuousClock.Instant?
                while true {
                    try await Task.sleep(for: Self.watchdogStep)
                    let now = ContinuousClock.now
                    let (stage, connection) = progress.current
                    guard let connection else {
                        guard now - started < wait else {
                            return StoreError.database(
                                operation: operation,
                                reason: "no connection to the database within \(wait.components.seconds) s")
                        }
                        continue
                    }
                    // A query on a connection that closed fails at once; one that waits past a step after the close
                    // never will.
                    if connection.isClosed, closedAt == nil { closedAt = now }
                    let lost = closedAt.map { now - $0 >= Self.watchdogStep } ?? false
                    guard lost || now - started >= timeout else { continue }
                    logger.warning(
                        "abandoning a transaction the database did not answer",
                        metadata: [
                            "operation": "\(operation)", "stage": "\(stage)", "connection": "\(connection.id)",
                        ])
                    connection.close().whenComplete { _ in }
                    return StoreError.database(
                        operation: operation,
                        reason: lost
                            ? "lost the connection to the database (during \(stage))"
                            : "no answer from the database within \(timeout.components.seconds) s (during \(stage))")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(operation: operation, reason: Self.reason(error))
        }
    }

    /// What went wrong, in words: the server's message for its errors (postgres-nio's own description hides it).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return String(describing: error)
    }

    /// The first column of `sql`'s rows decoded as `type` (tests' looks at tables, ``StateStore/inspectIntegers(_:)``).
    func inspect<Value: PostgresDecodable & Sendable>(_ sql: String, _ type: Value.Type) async throws -> [Value] {
        try await read("inspect") { [logger] connection in
            var values: [Value] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                values.append(try row.decode(Value.self))
            }
            return values
        }
    }

    // MARK: - Other processes' writes

    /// The channel of ``listenForOutboxChanges(_:)``.
    static let outboxChannel = "intercom_triggerd_outbox"

    /// Notifies every listener at commit (PostgreSQL folds the notifications of one transaction into one).
    static var notifyOutbox: PostgresQuery { "SELECT pg_notify(\(outboxChannel), '')" }

    /// Calls `onChange` for each notification on ``outboxChannel``, on a connection of its own, until cancelled or
    /// the connection is lost.
    func listenForOutboxChanges(_ onChange: @escaping @Sendable () -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.outboxChannel) { notifications in
                for try await _ in notifications { onChange() }
            }
        }
    }

    /// The number admin commands move with every write they make (``StateStore/outsideWriteVersion()``): a daemon
    /// looks at it every few seconds instead of reading resets and outbox states.
    func outsideWriteVersion() async throws -> Int {
        try await read("look for other processes' writes") { [logger] connection in
            try await connection.one("SELECT outside_writes FROM store_clock", Int.self, logger) ?? 0
        }
    }
}

extension PostgresConnection {
    /// Every row of `query`, decoded as `types`.
    func all<each Column: PostgresDecodable>(
        _ query: PostgresQuery, _ types: (repeat each Column).Type, _ logger: Logger
    ) async throws -> [(repeat each Column)] {
        var rows: [(repeat each Column)] = []
        for try await row in try await self.query(query, logger: logger) {
            rows.append(try row.decode((repeat each Column).self))
        }
        return rows
    }

    /// The first row of `query`, decoded as `types`, or nil when it has none.
    func one<each Column: PostgresDecodable>(
        _ query: PostgresQuery, _ types: (repeat each Column).Type, _ logger: Logger
    ) async throws -> (repeat each Column)? {
        for try await row in try await self.query(query, logger: logger) {
            return try row.decode((repeat each Column).self)
        }
        return nil
    }

    /// Runs `query`, a statement whose rows (if any) nobody reads.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        try await self.query(query, logger: logger)
    }

    /// Runs `query` and returns how many rows it changed: `query` must end in `RETURNING 1`.
    @discardableResult
    func changes(_ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await self.query(query, logger: logger) { count += 1 }
        return count
    }
}
