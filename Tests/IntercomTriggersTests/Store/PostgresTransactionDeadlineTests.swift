import Foundation
import IntercomTriggersTesting
import PostgresNIO
import Testing

@testable import IntercomTriggers

/// A PostgreSQL transaction gives its caller an answer in bounded time whatever the server does (#16): a query the
/// server does not answer is abandoned at the transaction's timeout, a connection the server cuts fails the
/// transaction at once, and the store goes on working on other connections.
@Suite struct PostgresTransactionDeadlineTests {
    static func withPostgresBackend(_ body: (PostgresStore, PostgresCluster) async throws -> Void) async throws {
        let cluster = try await PostgresCluster.shared()
        try await StoreFixture.withPostgresStore { store in
            let backend = try #require(store.backend as? PostgresStore)
            try await body(backend, cluster)
        }
    }

    @Test func aQueryTheServerDoesNotAnswerIsAbandonedAtTheTimeout() async throws {
        try await Self.withPostgresBackend { store, _ in
            let started = ContinuousClock.now
            await #expect {
                try await store.read("a long sleep", timeout: .seconds(2)) { [logger = store.logger] connection in
                    try await connection.run("SELECT pg_sleep(30)", logger: logger)
                }
            } throws: { error in
                guard case StoreError.database(let operation, let reason) = error else { return false }
                return operation == "a long sleep" && reason.hasPrefix("no answer from the database within 2 s")
            }
            // Well before the query itself would have ended.
            #expect(ContinuousClock.now - started < .seconds(20))
            let answer = try await store.read("a short one") { [logger = store.logger] connection in
                try await connection.one("SELECT 7", Int.self, logger)
            }
            #expect(answer == 7)
        }
    }

    @Test func aConnectionTheServerCutsFailsItsTransaction() async throws {
        try await Self.withPostgresBackend { store, cluster in
            async let cut: Void = {
                try await eventually("the sleeping query runs", timeout: .seconds(10)) {
                    try cluster.sql(
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE query = 'SELECT pg_sleep(31)' AND pid <> pg_backend_pid()
                        """
                    ).contains("t")
                }
            }()
            let started = ContinuousClock.now
            await #expect(throws: StoreError.self) {
                try await store.read("a sleep the server ends") { [logger = store.logger] connection in
                    try await connection.run("SELECT pg_sleep(31)", logger: logger)
                }
            }
            try await cut
            #expect(ContinuousClock.now - started < .seconds(20))
            let answer = try await store.read("after the cut") { [logger = store.logger] connection in
                try await connection.one("SELECT 8", Int.self, logger)
            }
            #expect(answer == 8)
        }
    }
}
