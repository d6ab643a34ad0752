import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// Several daemons on one PostgreSQL store share its workspaces (#16): each workspace is polled by exactly one, a
/// daemon joining or leaving moves only its share, and a daemon that cannot renew stops polling before its leases
/// run out in the database.
@Suite struct LeaseKeeperTests {
    /// A monotonic clock the test moves.
    final class Monotonic: Sendable {
        let now = Mutex(Duration.seconds(1_000))
        func advance(by duration: Duration) { now.withLock { $0 += duration } }
        var read: @Sendable () -> Duration { { [self] in now.withLock { $0 } } }
    }

    static func keeper(_ store: StateStore, _ id: String, monotonic: Monotonic = Monotonic()) -> LeaseKeeper {
        LeaseKeeper(
            store: store, member: DaemonMember(id: id, host: "h", pid: 1), lease: .seconds(30),
            clock: ManualWallClock(),
            logger: DeliveryFixture.quiet, monotonic: monotonic.read)
    }

    /// Twelve workspaces and two keepers, `a` and `b`, that serve them all.
    static func twoKeepers(_ store: StateStore) async throws -> (Set<StoreWorkspace>, LeaseKeeper, LeaseKeeper) {
        var workspaces = Set<StoreWorkspace>()
        for index in 0..<12 { workspaces.insert(try await store.registerWorkspace(name: "w\(index)")) }
        let a = Self.keeper(store, "a")
        let b = Self.keeper(store, "b")
        a.setWorkspaces(workspaces)
        b.setWorkspaces(workspaces)
        return (workspaces, a, b)
    }

    @Test func rendezvousGivesEachWorkspaceOneOwnerAndMovesOnlyTheShareOfWhoJoinsOrLeaves() {
        let workspaces = (1...300).map { StoreWorkspace(id: Int64($0)) }
        let three = ["daemon-a", "daemon-b", "daemon-c"]
        let owners = workspaces.map { LeaseKeeper.preferredOwner(of: $0, among: three) }
        #expect(owners.allSatisfy { $0 != nil })
        // Roughly even: each of three gets between a fifth and a half.
        for member in three {
            let share = owners.filter { $0 == member }.count
            #expect((60...150).contains(share), "\(member): \(share)")
        }
        // One leaves: only its workspaces move.
        let two = ["daemon-a", "daemon-c"]
        for (workspace, owner) in zip(workspaces, owners) where owner != "daemon-b" {
            #expect(LeaseKeeper.preferredOwner(of: workspace, among: two) == owner)
        }
        // One joins: workspaces only move to it.
        let four = three + ["daemon-d"]
        for (workspace, owner) in zip(workspaces, owners) {
            let now = LeaseKeeper.preferredOwner(of: workspace, among: four)
            #expect(now == owner || now == "daemon-d")
        }
        #expect(LeaseKeeper.preferredOwner(of: workspaces[0], among: []) == nil)
    }

    @Test func twoDaemonsSplitTheWorkspacesAndTheSecondTakesOverWhenTheFirstLeaves() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let (workspaces, a, b) = try await Self.twoKeepers(store)
            // a alone first takes everything; once b is a member, a hands b's share over and b takes it.
            await a.renew()
            #expect(a.held == workspaces)
            await b.renew()
            await a.renew()
            await b.renew()
            #expect(a.held.isDisjoint(with: b.held))
            #expect(a.held.union(b.held) == workspaces)
            #expect(!a.held.isEmpty && !b.held.isEmpty)
            #expect(a.members == ["a", "b"])
            for workspace in workspaces {
                let owner = LeaseKeeper.preferredOwner(of: workspace, among: ["a", "b"])
                #expect((owner == "a" ? a : b).fence(for: workspace) != nil)
            }
            // a stops cleanly: its leases are free at once, and b's next renewal takes them.
            try await store.leaveMembership(a.member)
            await b.renew()
            #expect(b.held == workspaces)
            let leases = try await store.leases()
            #expect(Set(leases.compactMap(\.owner)) == ["b"])
        }
    }

    @Test func aDaemonThatCannotRenewStopsPollingBeforeItsLeasesRunOut() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let w = try await store.registerWorkspace(name: "w")
            let clock = Monotonic()
            let keeper = Self.keeper(store, "a", monotonic: clock)
            keeper.setWorkspaces([w])
            await keeper.renew()
            let fence = try #require(keeper.fence(for: w))
            // No renewal for most of the lease: still held; past the lease less the margin: not any more, though
            // the database would still call it this daemon's for a few seconds.
            clock.advance(by: .seconds(25))
            #expect(keeper.fence(for: w) == fence)
            clock.advance(by: .seconds(2))
            #expect(keeper.fence(for: w) == nil)
            #expect(try await store.leases().first?.expired == false)
            // A renewal (the database reachable again) gives it back under the same epoch.
            await keeper.renew()
            #expect(keeper.fence(for: w) == fence)
        }
    }

    struct NextRoundCase: Sendable, CustomTestStringConvertible {
        var othersExpireIn: [Duration]
        var waitingForHandOver: Bool
        var next: Duration
        var testDescription: String { "others expire in \(othersExpireIn), hand-over \(waitingForHandOver)" }
    }

    @Test(arguments: [
        NextRoundCase(othersExpireIn: [], waitingForHandOver: false, next: .seconds(10)),
        NextRoundCase(othersExpireIn: [.seconds(25), .seconds(28)], waitingForHandOver: false, next: .seconds(10)),
        NextRoundCase(
            othersExpireIn: [.seconds(25), .seconds(4)], waitingForHandOver: false, next: .milliseconds(4150)),
        NextRoundCase(othersExpireIn: [.milliseconds(-300)], waitingForHandOver: false, next: .milliseconds(150)),
        NextRoundCase(othersExpireIn: [], waitingForHandOver: true, next: .milliseconds(500)),
        NextRoundCase(othersExpireIn: [.milliseconds(100)], waitingForHandOver: true, next: .milliseconds(250)),
    ])
    func theNextRoundComesAsAnotherMemberRunsOutOrWhileAHandOverIsDue(_ row: NextRoundCase) {
        #expect(
            LeaseKeeper.nextRound(
                renewal: .seconds(10), othersExpireIn: row.othersExpireIn, waitingForHandOver: row.waitingForHandOver)
                == row.next)
    }

    @Test func aDeadDaemonsWorkspacesAreTakenAsItsHeartbeatRunsOut() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let (workspaces, a, b) = try await Self.twoKeepers(store)
            await a.renew()
            await b.renew()
            await a.renew()
            // b is silent (killed) for most of its lease: a's next round comes as b runs out, not a renewal later.
            try await store.execute(
                "UPDATE daemon_member SET heartbeat_at = heartbeat_at - interval '26 seconds' WHERE id = 'b'")
            let before = a.takeovers.generation
            let next = await a.renew()
            if a.held == workspaces {
                // A starved test took over 4 s from the update to this round: b had run out, and this round took
                // its share (and woke the poll loops standing by); the next is then a renewal later.
                #expect(a.takeovers.generation != before)
                #expect(next == a.renewal)
                return
            }
            // About 4 s, less whatever passed since the update; never a renewal (10 s) later while b lives.
            #expect(next < .seconds(5), "next round in \(next)")
            // b ran out: that round takes b's share, and wakes the poll loops standing by.
            try await store.execute(
                "UPDATE daemon_member SET heartbeat_at = heartbeat_at - interval '5 seconds' WHERE id = 'b'")
            try await store.execute("UPDATE workspace_lease SET expires_at = now() WHERE owner = 'b'")
            let generation = a.takeovers.generation
            #expect(await a.renew() == a.renewal)
            #expect(a.held == workspaces)
            #expect(a.takeovers.generation != generation)
        }
    }

    @Test func aJoiningDaemonLooksAgainSoonUntilItsShareIsHandedOver() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let (_, a, b) = try await Self.twoKeepers(store)
            #expect(await a.renew() == a.renewal)
            // a holds b's share until its own next round.
            #expect(await b.renew() == LeaseKeeper.handOverRetry)
            #expect(b.held.isEmpty)
            await a.renew()
            let generation = b.takeovers.generation
            #expect(await b.renew() == b.renewal)
            #expect(!b.held.isEmpty)
            #expect(b.takeovers.generation != generation)
        }
    }

    /// A configuration rolled out host by host: a workspace only one daemon is configured for goes to that one,
    /// whatever rendezvous hashing would prefer among all the daemons.
    @Test func aWorkspaceGoesOnlyToADaemonConfiguredForIt() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let (workspaces, a, b) = try await Self.twoKeepers(store)
            // One of the workspaces b would get among the two is not in b's configuration (yet).
            let onlyA = try #require(workspaces.first { LeaseKeeper.preferredOwner(of: $0, among: ["a", "b"]) == "b" })
            b.setWorkspaces(workspaces.subtracting([onlyA]))
            for _ in 0..<2 {
                await a.renew()
                await b.renew()
            }
            #expect(a.held.contains(onlyA))
            #expect(!b.held.contains(onlyA))
            #expect(a.held.isDisjoint(with: b.held))
            #expect(a.held.union(b.held) == workspaces)
            #expect(!b.held.isEmpty)
            // Once b is configured for it too (a reload), it moves to b.
            b.setWorkspaces(workspaces)
            for _ in 0..<2 {
                await b.renew()
                await a.renew()
            }
            await b.renew()
            #expect(b.held.contains(onlyA))
            #expect(!a.held.contains(onlyA))
        }
    }

    /// The same for an ordered destination one daemon's configuration does not name.
    @Test func anOrderedLaneGoesOnlyToADaemonThatDeliversIt() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let (_, a, b) = try await Self.twoKeepers(store)
            let names = (1...20).map { "hook-\($0)" }
            let onlyA = try #require(
                names.first { LeaseKeeper.preferredOwner(of: "lane:\($0)", among: ["a", "b"]) == "b" })
            let shared = try #require(
                names.first { LeaseKeeper.preferredOwner(of: "lane:\($0)", among: ["a", "b"]) == "b" && $0 != onlyA })
            a.setOrderedLanes([onlyA, shared])
            b.setOrderedLanes([shared])
            for _ in 0..<2 {
                await a.renew()
                await b.renew()
            }
            #expect(a.holdsLane(onlyA))
            #expect(!b.holdsLane(onlyA))
            #expect(b.holdsLane(shared))
            #expect(!a.holdsLane(shared))
        }
    }

    @Test func aFencedCommitForgetsTheLease() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            let w = try await store.registerWorkspace(name: "w")
            let keeper = Self.keeper(store, "a")
            keeper.setWorkspaces([w])
            await keeper.renew()
            let fence = try #require(keeper.fence(for: w))
            keeper.lost(w, epoch: fence.epoch + 1)  // another epoch's loss: not this one
            #expect(keeper.fence(for: w) == fence)
            keeper.lost(w, epoch: fence.epoch)
            #expect(keeper.fence(for: w) == nil)
        }
    }
}
