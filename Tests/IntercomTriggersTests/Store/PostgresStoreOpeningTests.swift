import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Opening a PostgreSQL store (#16): migrations once however many daemons start together, a newer schema refused,
/// an unreachable database reported as such.
@Suite struct PostgresStoreOpeningTests {
    static func location(_ cluster: PostgresCluster, _ database: String) -> StateStore.Location {
        .postgres(StoreFixture.postgresLocation(cluster, database))
    }

    @Test func daemonsStartingTogetherMigrateOnceAndShareTheData() async throws {
        try await Self.migrateTogether()
    }

    static func migrateTogether() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        let location = Self.location(cluster, database)
        let workspaces = try await withThrowingTaskGroup(of: StoreWorkspace.self) { group in
            for index in 0..<4 {
                group.addTask {
                    try await StateStore.withOpened(location, role: .daemon) { store in
                        try await store.registerWorkspace(name: "w\(index % 2)")
                    }
                }
            }
            return try await group.reduce(into: Set<StoreWorkspace>()) { $0.insert($1) }
        }
        #expect(workspaces.count == 2)
        #expect(
            try cluster.sql("SELECT count(*) FROM store_migration", database: database).trimmed
                == "\(PostgresSchema.migrations.count)")
        try await StateStore.withOpened(location, role: .admin) { store async throws in
            #expect(try await store.workspaces().map(\.name).sorted() == ["default", "w0", "w1"])
            #expect(try await store.metaValue(forKey: "store_format") == "1")
        }
    }

    @Test func aDatabaseANewerBuildMigratedIsRefused() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        let location = Self.location(cluster, database)
        try await StateStore.withOpened(location, role: .daemon) { _ in }
        try cluster.sql("INSERT INTO store_migration (name) VALUES ('v99')", database: database)
        await #expect(
            throws: StoreError.schemaTooNew(path: "postgresql://triggerd@127.0.0.1:\(cluster.port)/\(database)")
        ) {
            try await StateStore.withOpened(location, role: .daemon) { _ in }
        }
    }

    /// Every pooled session carries its location's idle-transaction limit: the daemon's 2 s (a location read from
    /// its URL, as the configuration reads it) unless a test asks for more (PostgreSQL shows 60 s as `1min`).
    @Test(arguments: [(nil, "2s"), (Duration.seconds(60), "1min")])
    func aSessionCarriesTheIdleTransactionLimit(limit: Duration?, shown: String) async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        var location = try PostgresStoreLocation(url: cluster.url(database: database) + "?sslmode=disable")
        if let limit { location.idleTransactionLimit = limit }
        let setting = try await StateStore.withOpened(.postgres(location), role: .daemon) { store in
            let backend = try #require(store.backend as? PostgresStore)
            return try await backend.inspect("SHOW idle_in_transaction_session_timeout", String.self)
        }
        #expect(setting == [shown])
    }

    @Test func anUnreachableDatabaseSaysSo() async throws {
        let port = try LoopbackPort.pickFree()
        let location = StateStore.Location.postgres(
            PostgresStoreLocation(host: "127.0.0.1", port: port, user: "u", database: "d", tls: .disable))
        await #expect {
            try await StateStore.withOpened(location, role: .daemon) { _ in }
        } throws: { error in
            guard case StoreError.cannotOpen(let place, _) = error else { return false }
            return place == "postgresql://u@127.0.0.1:\(port)/d"
        }
    }

    @Test func anAdminsWriteMovesTheOutsideWriteNumberADaemonsOwnDoNot() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        let location = Self.location(cluster, database)
        try await StateStore.withOpened(location, role: .daemon) { daemon async throws in
            let before = try await daemon.outsideWriteVersion()
            try await daemon.ensureTopics(["contact.user.created": 0])
            #expect(try await daemon.outsideWriteVersion() == before)
            _ = try await StateStore.withOpened(location, role: .admin) { admin in
                try await admin.requestReset(topic: nil, to: 10)
            }
            #expect(try await daemon.outsideWriteVersion() != before)
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
