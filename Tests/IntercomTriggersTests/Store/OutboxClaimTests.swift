import Foundation
import Testing

@testable import IntercomTriggers

/// The lanes of several daemons on one PostgreSQL store (#16): the rows a turn takes are claimed, so no row is sent by
/// two daemons, and a claim that runs out (its daemon died) gives the rows to the next lane.
@Suite struct OutboxClaimTests {
    static let topic = "contact.user.created"

    static func seed(_ store: StateStore, _ count: Int) async throws -> [Int64] {
        try await store.commitPage(
            StoreFixture.page((0..<count).map { StoreFixture.candidate(topic, "c\($0)", 1) }, routes: ["crm": nil])
        ).map(\.seq)
    }

    static func claim(_ who: String) -> OutboxClaim { OutboxClaim(claimant: who, seconds: 60) }

    @Test func aClaimedRowGoesToNoOtherLaneUntilItsClaimRunsOut() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let seqs = try await Self.seed(store, 5)
            let a = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 2, claim: Self.claim("a"))
            #expect(a.map(\.event.seq) == Array(seqs[0..<2]))
            let b = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 2, claim: Self.claim("b"))
            #expect(b.map(\.event.seq) == Array(seqs[2..<4]))
            // A lane sees its own claims again (as a SQLite lane sees its rows until it records them).
            let again = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 2, claim: Self.claim("a"))
            #expect(again.map(\.event.seq) == Array(seqs[0..<2]))
            // Recording an attempt ends the claim; a delivered row is nobody's to take.
            try await store.markDelivered(destination: "crm", seqs: [seqs[0]], at: 2_001)
            try await store.markFailed(
                destination: "crm", seq: seqs[1], attempt: 1, status: 500, error: "x", nextAttemptAt: 2_000, at: 2_001)
            let c = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 5, claim: Self.claim("c"))
            #expect(c.map(\.event.seq) == [seqs[1], seqs[4]])
            // b dies: once its claims run out, its rows go to the next lane that asks.
            try await store.execute(
                "UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE claimed_by = 'b'")
            let d = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 5, claim: Self.claim("d"))
            #expect(d.map(\.event.seq) == Array(seqs[2..<4]))
            // d stops cleanly: the rows it took go back at once.
            try await store.leaveMembership(DaemonMember(id: "d", host: "h", pid: 1))
            let e = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 5, claim: Self.claim("e"))
            #expect(e.map(\.event.seq) == Array(seqs[2..<4]))
            // Without a claim (a SQLite-style read) every pending row shows.
            #expect(try await store.dueOutbox(destination: "crm", now: 2_000, limit: 10).count == 4)
        }
    }

    @Test func anIdleLaneWaitsForAnotherDaemonsClaimToRunOut() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            _ = try await Self.seed(store, 1)
            _ = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 5, claim: Self.claim("a"))
            #expect(try await store.nextAttemptAt(destination: "crm", claimant: "a") == 0)
            let next = try #require(try await store.nextAttemptAt(destination: "crm", claimant: "b"))
            let now = Int(Date().timeIntervalSince1970)
            #expect((now + 50...now + 70).contains(next))
            #expect(try await store.nextAttemptAt(destination: "crm") == 0)
        }
    }

    @Test func lanesTakingTurnsAtOnceNeverShareARow() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let seqs = try await Self.seed(store, 200)
            let taken = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for lane in ["a", "b", "c", "d"] {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let turn = try await store.dueOutbox(
                                destination: "crm", now: 2_000, limit: 7, claim: Self.claim(lane))
                            let new = turn.map(\.event.seq).filter { !mine.contains($0) }
                            if new.isEmpty { return mine }
                            mine += new
                            // Delivered: the lane moves on to rows nobody holds.
                            try await store.markDelivered(destination: "crm", seqs: new, at: 2_001)
                        }
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = taken.flatMap { $0 }
            #expect(all.count == Set(all).count, "a row was taken by two lanes")
            #expect(Set(all) == Set(seqs))
        }
    }

    @Test func oneDaemonAtATimeDeliversAnOrderedDestination() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            #expect(try await store.claimLaneLeases(["crm"], owner: "a", ttl: 30) == ["crm": 1])
            #expect(try await store.claimLaneLeases(["crm"], owner: "b", ttl: 30) == [:])
            try await store.releaseLaneLeases(["crm"], owner: "a")
            #expect(try await store.claimLaneLeases(["crm"], owner: "b", ttl: 30) == ["crm": 2])
        }
    }
}
