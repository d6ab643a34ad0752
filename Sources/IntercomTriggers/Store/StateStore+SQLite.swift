import Foundation
import GRDB
import PostgresNIO

/// Direct access to the engines' connections, for what only a SQLite store has (its pragmas) and for tests that look
/// at tables.
extension StateStore {
    /// `PRAGMA synchronous` as the SQLite writer connection sees it (2 = FULL): what makes commits durable.
    public func synchronousModeOnWriter() async throws -> Int {
        try await sqliteEngine("read synchronous mode").synchronousModeOnWriter()
    }

    /// SQLite's `PRAGMA journal_mode` (`wal` once opened).
    public func journalMode() async throws -> String {
        try await sqliteEngine("read journal mode").journalMode()
    }

    /// Runs `body` in one write transaction (or none) of the SQLite engine.
    func write<T: Sendable>(
        _ operation: String, transaction: Bool = true, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await sqliteEngine(operation).write(operation, transaction: transaction, body)
    }

    /// Runs `body` on a reader of the SQLite engine.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await sqliteEngine(operation).read(operation, body)
    }

    /// The first column of `sql` (a query both engines understand) as integers: tests' looks at rows the API does
    /// not show.
    func inspectIntegers(_ sql: String) async throws -> [Int?] {
        if let postgres = backend as? PostgresStore { return try await postgres.inspect(sql, Int?.self) }
        return try await read("inspect") { db in try Int?.fetchAll(db, sql: sql) }
    }

    /// The first column of `sql` as bytes, like ``inspectIntegers(_:)``.
    func inspectBlobs(_ sql: String) async throws -> [Data?] {
        if let postgres = backend as? PostgresStore { return try await postgres.inspect(sql, Data?.self) }
        return try await read("inspect") { db in try Data?.fetchAll(db, sql: sql) }
    }

    /// Runs `sql`, a statement both engines understand, in a transaction of its own (tests' changes behind the
    /// API's back).
    func execute(_ sql: String) async throws {
        if let postgres = backend as? PostgresStore {
            return try await postgres.write("execute") { connection in
                try await connection.run(PostgresQuery(unsafeSQL: sql), logger: postgres.logger)
            }
        }
        try await write("execute") { db in try db.execute(sql: sql) }
    }

    private func sqliteEngine(_ operation: String) throws -> SQLiteStore {
        guard let sqlite else {
            throw StoreError.database(operation: operation, reason: "this store is not a SQLite file")
        }
        return sqlite
    }
}
