import Foundation
import GRDB
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// The engines every store suite runs against (#16): the SQLite file and a PostgreSQL database of the shared
/// throw-away cluster.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh directory for one test's store, removed by ``remove()``.
struct StoreFixture {
    /// The directory holding the store files.
    let directory: String
    /// The database path inside it.
    var path: String { directory + "/state/state.sqlite" }

    init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("store-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Opens the fixture's store.
    func open(_ role: StateStore.Role = .daemon) throws -> StateStore {
        try StateStore(path: path, role: role)
    }

    /// Creates the fixture's store at an older schema, `upTo` a migration (`"v8"`), for rows written as that
    /// schema's daemon wrote them; close the queue before ``open(_:)``.
    func openSchema(upTo version: String) throws -> DatabaseQueue {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: version)
        return queue
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a daemon-role store of `engine`, then closes it and removes its file or database.
    static func withStore<T: Sendable>(_ engine: StoreEngine = .sqlite, _ body: (StateStore) async throws -> T)
        async throws -> T
    {
        if engine == .postgres { return try await withPostgresStore(body) }
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.open()
        defer { try? store.close() }
        return try await body(store)
    }

    /// How long the server lets a unit test's transaction wait for its next statement: this process runs hundreds of
    /// tests at once on two cores, and a transaction's next statement waited over the daemon's 2 s for a thread
    /// (a commit of 10,000 events lost its session in one CI run). The test of a daemon stopped inside a commit
    /// asks for the daemon's limit.
    static let idleTransactionLimit: Duration = .seconds(60)

    /// The location of `database` in `cluster` over TCP, with the unit tests' ``idleTransactionLimit`` unless told.
    static func postgresLocation(
        _ cluster: PostgresCluster, _ database: String, idleTransactionLimit: Duration = Self.idleTransactionLimit
    ) -> PostgresStoreLocation {
        var location = PostgresStoreLocation(
            host: "127.0.0.1", port: cluster.port, user: PostgresCluster.user, database: database, tls: .disable)
        location.idleTransactionLimit = idleTransactionLimit
        return location
    }

    /// Runs `body` with a daemon-role store in a new database of the shared PostgreSQL cluster, dropped after.
    static func withPostgresStore<T: Sendable>(
        idleTransactionLimit: Duration = Self.idleTransactionLimit, _ body: (StateStore) async throws -> T
    ) async throws -> T {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        let location = postgresLocation(cluster, database, idleTransactionLimit: idleTransactionLimit)
        // Dropped whatever `body` did (no `await` in a `defer`).
        let result: Result<T, any Error>
        do {
            result = .success(try await StateStore.withOpened(.postgres(location), role: .daemon, body))
        } catch {
            result = .failure(error)
        }
        try? await cluster.dropDatabase(database)
        return try result.get()
    }

    /// A candidate event whose id is derived from its coordinates, like the real ids.
    static func candidate(_ topic: String, _ itemID: String, _ version: Int, body: String? = nil) -> NewEvent {
        NewEvent(
            id: "\(topic)/\(itemID)/\(version)", topic: topic, itemID: itemID, version: version,
            item: Data((body ?? #"{"type":"contact","id":"\#(itemID)","v":\#(version)}"#).utf8))
    }

    /// A page and the outbox routes to commit it with.
    struct RoutedPage {
        var page: PageCommit
        var routes: OutboxRoutes
    }

    /// A page of contact `events` that keeps snapshots, with each contact's role as a real pass sends it (from the
    /// topic: `contact.user.*` is a user): a snapshot lives in its contact's role row.
    static func snapshotPage(_ events: [NewEvent], detectedAt: Int = 1_000) -> PageCommit {
        var page = PageCommit(events: events, watermarks: [:], detectedAt: detectedAt)
        page.keepsSnapshots = true
        for event in events where event.topic.hasPrefix("contact.") {
            let role = event.topic.hasPrefix("contact.lead.") ? "lead" : "user"
            page.roles[event.itemID] = RoleSighting(role: role, version: event.version)
        }
        return page
    }

    /// A page of `events` routed to `routes`, detected at `detectedAt`.
    static func page(
        _ events: [NewEvent], watermarks: [String: Int] = [:], routes: OutboxRoutes = ["console": nil],
        detectedAt: Int = 1_000
    ) -> RoutedPage {
        RoutedPage(page: PageCommit(events: events, watermarks: watermarks, detectedAt: detectedAt), routes: routes)
    }
}

extension StateStore {
    /// Commits a test page with its routes.
    @discardableResult
    func commitPage(_ routed: StoreFixture.RoutedPage) async throws -> [StoredEvent] {
        try await commitPage(routed.page, routes: routed.routes)
    }
}
