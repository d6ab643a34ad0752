import Foundation
import PostgresNIO
import Testing

@testable import IntercomTriggers

/// Leases and the fence on a shared (PostgreSQL) store (#16): one owner per workspace, a take-over raises the epoch,
/// and a page of a daemon that lost its lease is never committed.
@Suite struct WorkspaceLeaseTests {
    static let topic = "contact.user.created"

    /// A page of one new contact of `workspace`, fenced on `fence`.
    static func page(_ id: String, _ workspace: StoreWorkspace, fence: LeaseFence?) -> StoreFixture.RoutedPage {
        var routed = StoreFixture.page([StoreFixture.candidate(topic, id, 100)], watermarks: [topic: 100])
        routed.page.workspace = workspace
        routed.page.fence = fence
        return routed
    }

    /// Lets every lease run out now (the database's clock decides expiry; no test waits for it).
    static func expireAll(_ store: StateStore) async throws {
        try await store.execute("UPDATE workspace_lease SET expires_at = now() - interval '1 second'")
    }

    @Test func oneOwnerAtATimeAndATakeOverRaisesTheEpoch() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            #expect(store.isShared)
            let w = try await store.registerWorkspace(name: "w")
            #expect(try await store.claimLeases([w], owner: "a", ttl: 30) == [w: 1])
            // Renewing keeps the epoch; another owner gets nothing while it runs.
            #expect(try await store.claimLeases([w], owner: "a", ttl: 30) == [w: 1])
            #expect(try await store.claimLeases([w], owner: "b", ttl: 30) == [:])
            try await Self.expireAll(store)
            #expect(try await store.claimLeases([w], owner: "b", ttl: 30) == [w: 2])
            #expect(try await store.claimLeases([w], owner: "a", ttl: 30) == [:])
            // A release frees it at once; the next owner's epoch is higher again.
            try await store.releaseLeases([w], owner: "b")
            #expect(try await store.claimLeases([w], owner: "a", ttl: 30) == [w: 3])
            let leases = try await store.leases()
            #expect(leases.map(\.owner) == ["a"])
            #expect(leases.map(\.epoch) == [3])
            #expect(leases.allSatisfy { !$0.expired })
        }
    }

    @Test func aPageOfADaemonThatLostItsLeaseIsNotCommitted() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let w = try await store.registerWorkspace(name: "w")
            let old = try #require(try await store.claimLeases([w], owner: "a", ttl: 30)[w])
            try await store.commitPage(Self.page("c1", w, fence: LeaseFence(owner: "a", epoch: old)))
            // "a" is paused past its lease; "b" takes over.
            try await Self.expireAll(store)
            let new = try #require(try await store.claimLeases([w], owner: "b", ttl: 30)[w])
            #expect(new == old + 1)
            // "a" wakes up and commits the page it had in hand: refused, nothing written.
            await #expect(throws: StoreError.fenced(workspace: w.id, epoch: old)) {
                try await store.commitPage(Self.page("c2", w, fence: LeaseFence(owner: "a", epoch: old)))
            }
            #expect(try await store.event(id: "\(Self.topic)/c2/100") == nil)
            #expect(try await store.topicStates(in: w).map(\.watermark) == [100])
            // The new owner commits.
            let queued = try await store.commitPage(Self.page("c2", w, fence: LeaseFence(owner: "b", epoch: new)))
            #expect(queued.map(\.id) == ["\(Self.topic)/c2/100"])
            // Even the right owner is refused once its lease ran out and nobody took it yet.
            try await Self.expireAll(store)
            await #expect(throws: StoreError.fenced(workspace: w.id, epoch: new)) {
                try await store.commitPage(Self.page("c3", w, fence: LeaseFence(owner: "b", epoch: new)))
            }
        }
    }

    @Test func aDaemonStoppedInsideACommitDoesNotHoldTheTakeOverBack() async throws {
        try await StoreFixture.withPostgresStore(idleTransactionLimit: PostgresStore.idleInTransactionTimeout) {
            store async throws in
            let backend = try #require(store.backend as? PostgresStore)
            let w = try await store.registerWorkspace(name: "w")
            let old = try #require(try await store.claimLeases([w], owner: "a", ttl: 30)[w])
            // "a" is inside a page's commit — its fence checked, the lease row locked — when it stops (SIGSTOP, a
            // stalled VM) before its next statement.
            let (fenced, fencedNow) = AsyncStream<Void>.makeStream()
            async let stopped: Void = backend.write("a commit that stops") { [logger = backend.logger] connection in
                try await PostgresStore.checkFence(
                    LeaseFence(owner: "a", epoch: old), workspace: w, connection, logger)
                fencedNow.yield()
                try await Task.sleep(for: PostgresStore.idleInTransactionTimeout * 2)
                try await connection.run("SELECT 1", logger: logger)
            }
            for await _ in fenced { break }
            // The server ends the stopped transaction, so the lease can run out and "b" can take it: neither
            // statement waits on "a" for good (the claim gives up after 5 s).
            try await Self.expireAll(store)
            #expect(try await store.claimLeases([w], owner: "b", ttl: 30) == [w: old + 1])
            // "a" comes back: its transaction is gone, nothing of it committed.
            var refused = false
            do { try await stopped } catch is StoreError { refused = true }
            #expect(refused)
            #expect(try await store.leases().map(\.owner) == ["b"])
        }
    }

    @Test func membersHeartbeatAndACleanStopHandsTheLeasesOver() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let w = try await store.registerWorkspace(name: "w")
            let a = DaemonMember(id: "a", host: "h1", pid: 1)
            let b = DaemonMember(id: "b", host: "h2", pid: 2)
            #expect(try await store.heartbeat(a, ttl: 30).map(\.id) == ["a"])
            #expect(try await store.heartbeat(b, ttl: 30).map(\.id) == ["a", "b"])
            _ = try await store.claimLeases([w], owner: "a", ttl: 30)
            try await store.leaveMembership(a)
            #expect(try await store.heartbeat(b, ttl: 30).map(\.id) == ["b"])
            #expect(try await store.claimLeases([w], owner: "b", ttl: 30) == [w: 2])
            // A member whose heartbeat is older than the ttl is not live.
            try await store.execute("UPDATE daemon_member SET heartbeat_at = now() - interval '31 seconds'")
            let live = try await store.heartbeat(a, ttl: 30)
            #expect(live.map(\.id) == ["a"])
            #expect(live.first?.host == "h1")
        }
    }

    @Test func aSQLiteStoreHasOneMemberHoldingEveryLease() async throws {
        try await StoreFixture.withStore { store async throws in
            #expect(!store.isShared)
            let member = DaemonMember(id: "only", host: "h", pid: 1)
            #expect(try await store.heartbeat(member, ttl: 30) == [member])
            #expect(try await store.claimLeases([.first], owner: "only", ttl: 30) == [.first: 1])
            #expect(try await store.leases().isEmpty)
        }
    }
}
