import Foundation
import Logging

/// The daemon's durable state: topic watermarks, seen versions, contacts' snapshots, events and the per-destination
/// outbox — in one SQLite file (the default, ``init(path:role:)``) or in a PostgreSQL database that several daemons
/// share (#16).
///
/// Every operation is one short transaction with the same meaning on either engine; times are Unix seconds passed
/// in by the caller — the store reads no clock of its own for what it records.
public final class StateStore: Sendable {
    /// Who opens the store.
    public enum Role: Sendable {
        /// The one `intercom-triggerd run`: takes the store's lock.
        case daemon
        /// An admin command (`status`, `reset`, …): takes no lock, runs alongside the daemon.
        case admin
    }

    /// How the store was opened.
    public let role: Role
    /// The engine behind.
    let backend: any StateStoreBackend

    init(backend: any StateStoreBackend, role: Role) {
        self.backend = backend
        self.role = role
    }

    /// Opens (creating if needed) and migrates the SQLite store at `path`.
    ///
    /// The file is in WAL mode with `synchronous=FULL`, so "committed" means "on disk". One daemon holds a store at
    /// a time (``Role/daemon`` takes `<path>.lock`); admin commands (``Role/admin``) open the same file alongside
    /// it, and what they change takes effect at the daemon's next cycle.
    ///
    /// - Throws: ``StoreError/locked(path:pid:)`` when `role` is ``Role/daemon`` and another process holds
    ///   the store; ``StoreError/notFound(path:)`` when `role` is ``Role/admin`` and there is no store at
    ///   `path` (an admin command never creates one); ``StoreError/cannotOpen(path:reason:)``,
    ///   ``StoreError/migrationFailed(path:reason:)`` or ``StoreError/schemaTooNew(path:)`` otherwise.
    public convenience init(path: String, role: Role) throws {
        self.init(backend: try SQLiteStore(path: path, role: role), role: role)
    }

    /// Where a store is: a SQLite file (the default) or a PostgreSQL database.
    public enum Location: Sendable, Equatable {
        /// The SQLite file at `path`.
        case sqlite(path: String)
        /// A PostgreSQL database (#16).
        case postgres(PostgresStoreLocation)
    }

    /// Opens the store at `location` (creating and migrating it as ``init(path:role:)`` does), runs `body` with it,
    /// and closes it when `body` returns or throws. A PostgreSQL store's connections live exactly as long.
    public static func withOpened<T: Sendable>(
        _ location: Location, role: Role, logger: Logger = Logger(label: "intercom-triggerd.store"),
        _ body: (StateStore) async throws -> T
    ) async throws -> T {
        switch location {
        case .sqlite(let path):
            let store = try StateStore(path: path, role: role)
            defer { try? store.close() }
            return try await body(store)
        case .postgres(let place):
            return try await PostgresStore.withOpened(place, role: role, logger: logger) { engine in
                try await body(StateStore(backend: engine, role: role))
            }
        }
    }

    /// The SQLite engine behind, when it is one: what tests look into directly.
    var sqlite: SQLiteStore? { backend as? SQLiteStore }

    /// How many reads and writes this store has run since it was opened: what tests and benchmarks check an idle
    /// poll against (none).
    public var accesses: (reads: Int, writes: Int) { backend.accesses }

    /// Closes the store and, for the daemon, releases what it holds so another daemon may open it. Any later call
    /// throws.
    public func close() throws {
        try backend.close()
    }

    /// A number that changes whenever another process commits to the store — an admin's `reset`, `replay`,
    /// `enable` — and that this process's own writes leave alone: one cheap look tells whether anything else needs
    /// reading.
    public func outsideWriteVersion() async throws -> Int {
        try await backend.outsideWriteVersion()
    }
}
