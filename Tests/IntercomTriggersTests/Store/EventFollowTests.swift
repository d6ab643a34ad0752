import Foundation
import IntercomTriggersTesting
import PostgresNIO
import Testing

@testable import IntercomTriggers

/// `tail --follow`'s reads (``StateStore/followEvents(after:topic:since:limit:workspace:)``): every event once, in
/// order, and on a store several daemons commit to at once, never past an event still being committed.
@Suite struct EventFollowTests {
    let leads = "contact.lead.created"
    let conversations = "conversation.user.created"

    @Test(arguments: StoreEngine.allCases) func followingReadsEveryEventOnceInPages(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            var committed: [String] = []
            for page in 0..<3 {
                committed += try await store.commitPage(
                    StoreFixture.page(
                        [
                            StoreFixture.candidate(leads, "c\(page)", 10 + page),
                            StoreFixture.candidate(conversations, "v\(page)", 10 + page),
                        ], detectedAt: 1_000 + page)
                ).map(\.id)
            }
            var cursor = EventCursor.start
            var read: [String] = []
            // On PostgreSQL an event shows once every transaction older than its own has ended — in any database
            // of the cluster, and other tests write to theirs meanwhile: read until everything came or a deadline.
            let deadline = ContinuousClock.now + .seconds(20)
            while read.count < committed.count, ContinuousClock.now < deadline {
                let (batch, next) = try await store.followEvents(after: cursor, topic: nil, since: nil, limit: 4)
                #expect(batch.count <= 4)
                read += batch.map(\.id)
                cursor = next
                if batch.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(read == committed)
            // Filters, and nothing new after the end.
            #expect(
                try await store.followEvents(after: .start, topic: leads, since: 1_001, limit: 10).events.map(\.itemID)
                    == ["c1", "c2"])
            #expect(try await store.followEvents(after: cursor, topic: nil, since: nil, limit: 10).events.isEmpty)
        }
    }

    /// Another application's transaction in another database of the cluster holds nothing back.
    @Test func aLongTransactionInAnotherDatabaseDoesNotHoldTheFollowerBack() async throws {
        let cluster = try await PostgresCluster.shared()
        let other = try await cluster.createDatabase()
        try cluster.sql("CREATE TABLE busy (x int)", database: other)
        try await StoreFixture.withPostgresStore { store in
            let logger = (try #require(store.backend as? PostgresStore)).logger
            let elsewhere = try await PostgresStore.connect(
                StoreFixture.postgresLocation(cluster, other), logger: logger)
            do {
                try await elsewhere.run("BEGIN", logger: logger)
                try await elsewhere.run("INSERT INTO busy VALUES (1)", logger: logger)
                let committed = try await store.commitPage(
                    StoreFixture.page([StoreFixture.candidate(leads, "c1", 1)], detectedAt: 1_000))
                var read: [String] = []
                let deadline = ContinuousClock.now + .seconds(20)
                while read.isEmpty, ContinuousClock.now < deadline {
                    read = try await store.followEvents(after: .start, topic: nil, since: nil, limit: 10).events.map(
                        \.id)
                }
                #expect(read == committed.map(\.id))
                try await elsewhere.run("ROLLBACK", logger: logger)
            } catch {
                try? await elsewhere.close()
                throw error
            }
            try await elsewhere.close()
        }
    }

    /// Two daemons commit at once: the first took its seq first but commits last. A cursor by seq would pass the
    /// first one's event when it reads the second's and never print it.
    @Test func anEventCommittedAfterAHigherSeqIsNotSkipped() async throws {
        try await StoreFixture.withPostgresStore { store in
            let backend = try #require(store.backend as? PostgresStore)
            let logger = backend.logger
            let slow = try await PostgresStore.connect(backend.location, logger: logger)
            do {
                try await slow.run("BEGIN", logger: logger)
                try await slow.run(
                    """
                    INSERT INTO event (id, topic, item_id, version, detected_at, item, workspace)
                    VALUES ('slow', 'contact.lead.created', 'c-slow', 1, 1000, '\\x7b7d', 1)
                    """, logger: logger)
                let fast = try await store.commitPage(
                    StoreFixture.page([StoreFixture.candidate(leads, "c-fast", 2)], detectedAt: 1_000))
                let slowSeq = try #require(
                    try await slow.one("SELECT seq FROM event WHERE id = 'slow'", Int64.self, logger))
                #expect(slowSeq < fast[0].seq)

                // While the slow transaction runs, the fast one's event waits behind it.
                let tail = EventTail(store: store, topic: nil, since: nil, appID: "app")
                #expect(try await tail.next().isEmpty)
                try await slow.run("COMMIT", logger: logger)
                var ids: [String?] = []
                let deadline = ContinuousClock.now + .seconds(20)
                while ids.count < 2, ContinuousClock.now < deadline {
                    ids += try await tail.next().map { line in
                        (try JSONSerialization.jsonObject(with: line) as? [String: Any])?["id"] as? String
                    }
                }
                #expect(ids == ["slow", fast[0].id])
                #expect(try await tail.next().isEmpty)
            } catch {
                try? await slow.close()
                throw error
            }
            try await slow.close()
        }
    }
}
