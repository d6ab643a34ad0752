import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's durable state in one SQLite file: topic watermarks, seen versions, events and the
/// per-destination outbox (``StateStore``'s default engine).
///
/// The file is in WAL mode with `synchronous=FULL`, so "committed" means "on disk". One daemon holds a
/// store at a time (``StateStore/Role/daemon`` takes `<path>.lock`); admin commands (``StateStore/Role/admin``) open
/// the same file alongside it, and what they change takes effect at the daemon's next cycle. Every method is one
/// short transaction; times are Unix seconds passed in by the caller — the store reads no clock.
final class SQLiteStore: StateStoreBackend {
    typealias Role = StateStore.Role

    /// The database path.
    let path: String
    /// How the store was opened.
    let role: Role

    let pool: DatabasePool
    private let lock: StoreLock?
    /// The files whose stamps tell whether anything was committed (``outsideWriteVersion()``).
    private let stampedPaths: [String]
    private let outsideLook = Mutex<OutsideLook?>(nil)
    /// Reads and writes run so far (``accesses``).
    private let readCount = Atomic(0)
    private let writeCount = Atomic(0)

    /// How many reads and writes this store has run since it was opened: what tests and benchmarks check an idle
    /// poll against (none).
    var accesses: (reads: Int, writes: Int) {
        (readCount.load(ordering: .relaxed), writeCount.load(ordering: .relaxed))
    }

    /// How long a writer waits for another process's write transaction before failing.
    static let busyTimeout: TimeInterval = 5

    /// Opens (creating if needed) and migrates the store at `path`.
    ///
    /// - Throws: ``StoreError/locked(path:pid:)`` when `role` is ``Role/daemon`` and another process holds
    ///   the store; ``StoreError/notFound(path:)`` when `role` is ``Role/admin`` and there is no store at
    ///   `path` (an admin command never creates one); ``StoreError/cannotOpen(path:reason:)``,
    ///   ``StoreError/migrationFailed(path:reason:)`` or ``StoreError/schemaTooNew(path:)`` otherwise.
    init(path: String, role: Role) throws {
        self.path = path
        self.role = role
        if role == .admin, !FileManager.default.fileExists(atPath: path) { throw StoreError.notFound(path: path) }
        let files = StoreFiles(path: path)
        self.stampedPaths = [path, files.walPath]
        let databaseOwner = StoreFiles.owner(of: path)
        try files.prepare()
        let directoryOwner = StoreFiles.owner(of: files.directory.isEmpty ? "." : files.directory)

        let lock = role == .daemon ? try StoreLock.acquire(storePath: path) : nil
        do {
            pool = try Self.openPool(path: path)
            try Self.migrate(pool, path: path)
            if let owner = StoreFiles.ownerToRestore(
                effectiveUID: geteuid(), database: databaseOwner, directory: directoryOwner)
            {
                try files.chown(to: owner)
            }
        } catch {
            lock?.release()
            throw error
        }
        self.lock = lock
    }

    private static func openPool(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "intercom-triggerd.store"
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB's WAL setup sets NORMAL on the writer after prepareDatabase runs: FULL must come after.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            return pool
        } catch {
            throw StoreError.cannotOpen(path: path, reason: reason(error))
        }
    }

    private static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = StoreSchema.migrator
        var superseded = false
        // Another process (the daemon, or an admin command) may be migrating a new store at the same
        // moment; GRDB decides what to apply before it takes the write lock, so the loser fails on a
        // table that now exists. Trying again sees the migration applied and does nothing.
        for attempt in 1...5 {
            do {
                superseded = try pool.read { try migrator.hasBeenSuperseded($0) }
                if !superseded {
                    try migrator.migrate(pool)
                }
                break
            } catch {
                guard attempt < 5 else { throw StoreError.migrationFailed(path: path, reason: reason(error)) }
                usleep(useconds_t(100_000 * attempt))
            }
        }
        if superseded {
            throw StoreError.schemaTooNew(path: path)
        }
    }

    /// Closes the database and, for the daemon, releases the lock so another daemon may open the store.
    /// Any later call throws.
    func close() throws {
        defer { lock?.release() }
        do {
            try pool.close()
        } catch {
            throw StoreError.database(operation: "close", reason: Self.reason(error))
        }
    }

    /// A number that changes whenever another connection commits to the store — another process: an admin's
    /// `reset`, `replay`, `enable` — and that this process's own writes leave alone (SQLite's `PRAGMA data_version`
    /// on the writer connection, which makes all of them). One cheap look tells whether anything else needs reading.
    /// (It runs on the writer's queue, so ``accesses`` counts it as a write.)
    ///
    /// When the files' ``StoreFileStamp`` has not moved since the last look, nobody committed since, and the last
    /// answer is returned without the look (no hop to the writer's queue: the scheduler asks every two seconds, and
    /// on an idle daemon that hop was most of what it did between polls); every ``outsideLookRefresh``-th call looks
    /// regardless.
    func outsideWriteVersion() async throws -> Int {
        // Stamped before the look: a commit after the stamp moves the next one, so it cannot be missed.
        let stamp = StoreFileStamp(paths: stampedPaths)
        let known = outsideLook.withLock { last -> Int? in
            guard let known = last, let stamp, known.stamp == stamp, known.skipped + 1 < Self.outsideLookRefresh
            else { return nil }
            last?.skipped += 1
            return known.version
        }
        if let known { return known }
        let version = try await write("look for other processes' writes", transaction: false) { db in
            // Prepared once: the scheduler asks every two seconds.
            try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        }
        outsideLook.withLock { $0 = stamp.map { OutsideLook(stamp: $0, version: version, skipped: 0) } }
        return version
    }

    /// The calls to ``outsideWriteVersion()`` that may answer from an unchanged stamp before one looks anyway (30 s
    /// at the scheduler's pace): bounds what the stamp's one blind spot could delay.
    static let outsideLookRefresh = 15

    /// The last look at other processes' writes: the files' stamp before it, its answer, and the calls answered
    /// from it since.
    private struct OutsideLook {
        var stamp: StoreFileStamp
        var version: Int
        var skipped: Int
    }

    /// `PRAGMA synchronous` as the writer connection sees it (2 = FULL): what makes commits durable.
    func synchronousModeOnWriter() async throws -> Int {
        try await write("read synchronous mode", transaction: false) { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
    }

    /// `PRAGMA journal_mode` (`wal` once opened).
    func journalMode() async throws -> String {
        try await read("read journal mode") { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        }
    }

    // MARK: - Transactions

    // Every access runs on GRDB's own dispatch queues (the writer's, a reader's) and resumes the caller when
    // done, so a commit's fsync never holds one of the cooperative pool's threads. Unlike GRDB's `async`
    // `read`/`write`, these do not throw on task cancellation: a lane that is being cancelled must still
    // record the outcomes of the deliveries it made.

    /// Runs `body` in one write transaction (or none), mapping failures to ``StoreError/database(operation:reason:)``.
    func write<T: Sendable>(
        _ operation: String, transaction: Bool = true, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        writeCount.add(1, ordering: .relaxed)
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            if transaction {
                pool.asyncWrite(body) { _, result in continuation.resume(returning: result) }
            } else {
                pool.asyncWriteWithoutTransaction { db in
                    continuation.resume(returning: Result { try body(db) })
                }
            }
        }
        return try Self.unwrap(result, operation: operation)
    }

    /// Runs `body` on a reader (a consistent snapshot), mapping failures like ``write(_:transaction:_:)``.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        readCount.add(1, ordering: .relaxed)
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            pool.asyncRead { database in
                continuation.resume(returning: Result { try body(database.get()) })
            }
        }
        return try Self.unwrap(result, operation: operation)
    }

    private static func unwrap<T>(_ result: Result<T, any Error>, operation: String) throws -> T {
        do {
            return try result.get()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(operation: operation, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? error.description
        }
        return String(describing: error)
    }
}
