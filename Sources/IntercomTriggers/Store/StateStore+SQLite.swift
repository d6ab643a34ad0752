import GRDB

/// Direct access to the SQLite engine's connections, for what only a SQLite store has (its pragmas) and for tests
/// that look at its tables.
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

    private func sqliteEngine(_ operation: String) throws -> SQLiteStore {
        guard let sqlite else {
            throw StoreError.database(operation: operation, reason: "this store is not a SQLite file")
        }
        return sqlite
    }
}
