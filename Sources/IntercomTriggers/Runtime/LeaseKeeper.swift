import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Which workspaces of a shared store this daemon polls (#16): it heartbeats as a member, takes the leases of the
/// workspaces rendezvous hashing gives it among the live members, renews them every third of the lease, and releases
/// those that another member should poll (one that joined). A poll loop asks ``fence(for:)`` before each cycle and
/// commits its pages fenced on the answer.
///
/// A lease counts as held only until its lease time has passed since the request that last renewed it began, less a
/// margin, on this host's monotonic clock: a daemon cut off from the database stops polling before the database
/// lets another daemon take the workspace over.
public final class LeaseKeeper: Service, Sendable, CustomStringConvertible {
    /// This daemon as a member of the store.
    public let member: DaemonMember
    /// How long a lease lasts unless renewed.
    public let lease: Duration
    let store: StateStore
    let clock: any WallClock
    let logger: Logger
    /// Time on a monotonic clock (tests pass their own).
    let monotonic: @Sendable () -> Duration

    private struct Held {
        var epoch: Int64
        /// When this daemon stops counting the lease as held (``monotonic``).
        var until: Duration
    }

    private struct State {
        var workspaces: Set<StoreWorkspace> = []
        var held: [StoreWorkspace: Held] = [:]
        /// The ordered destinations: one daemon at a time delivers each.
        var lanes: Set<String> = []
        var heldLanes: [String: Held] = [:]
        var members: [String] = []
    }

    private let state = Mutex(State())

    public init(
        store: StateStore, member: DaemonMember = .thisProcess(), lease: Duration = .seconds(30),
        clock: any WallClock, logger: Logger,
        monotonic: @escaping @Sendable () -> Duration = { ContinuousClock.now - LeaseKeeper.origin }
    ) {
        self.store = store
        self.member = member
        self.lease = lease
        self.clock = clock
        self.logger = logger
        self.monotonic = monotonic
    }

    /// The default monotonic clock's origin.
    public static let origin = ContinuousClock.now

    public var description: String { "LeaseKeeper" }

    /// How often the leases are renewed: a third of the lease, so two renewals can fail before it runs out.
    public var renewal: Duration { lease / 3 }

    /// The lease in whole seconds (at least 1), as the database counts it.
    var leaseSeconds: Int { max(1, Int(lease.components.seconds)) }

    /// How much earlier than the database this daemon gives a lease up: a tenth of it and a second, for clock
    /// rates and the time a commit takes.
    var margin: Duration { lease / 10 + .seconds(1) }

    /// The workspaces this daemon serves (a reload changes them).
    public func setWorkspaces(_ workspaces: Set<StoreWorkspace>) {
        state.withLock { $0.workspaces = workspaces }
    }

    /// The ordered destinations this daemon may deliver (a reload changes them).
    public func setOrderedLanes(_ destinations: Set<String>) {
        state.withLock { $0.lanes = destinations }
    }

    /// Whether this daemon delivers the ordered destination `name` now.
    public func holdsLane(_ name: String) -> Bool {
        let now = monotonic()
        return state.withLock { state in state.heldLanes[name].map { now < $0.until } ?? false }
    }

    /// What a page of `workspace` must be committed with, or nil when this daemon does not hold its lease now.
    public func fence(for workspace: StoreWorkspace) -> LeaseFence? {
        let now = monotonic()
        return state.withLock { state in
            guard let held = state.held[workspace], now < held.until else { return nil }
            return LeaseFence(owner: member.id, epoch: held.epoch)
        }
    }

    /// Forgets the lease of `workspace` at `epoch` after a commit was refused by the fence.
    public func lost(_ workspace: StoreWorkspace, epoch: Int64) {
        state.withLock { state in
            if state.held[workspace]?.epoch == epoch { state.held[workspace] = nil }
        }
    }

    /// The live members at the last renewal, by id (this daemon included).
    public var members: [String] { state.withLock { $0.members } }

    /// The workspaces whose lease this daemon holds now.
    public var held: Set<StoreWorkspace> {
        let now = monotonic()
        return state.withLock { Set($0.held.filter { now < $0.value.until }.keys) }
    }

    /// Wakes the poll loops standing by whenever this daemon takes a workspace (over): the loop of a workspace
    /// taken from a dead daemon polls at once instead of at its next look.
    public let takeovers = OutboxSignal()

    /// How soon a round looks again for a workspace that should be this daemon's but another still holds (one
    /// that has not handed it over yet, or whose lease is about to run out).
    static let handOverRetry: Duration = .milliseconds(500)

    /// How long after another member's heartbeat runs out the next round looks (its leases were renewed just after
    /// its heartbeat, a few milliseconds later).
    static let expiryMargin: Duration = .milliseconds(150)

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let next = await self.renew()
                    try await self.clock.sleep(for: next)
                }
            }
        } catch is CancellationError {}
        // A clean stop hands the workspaces over at once instead of after the lease runs out.
        do {
            try await store.leaveMembership(member)
            state.withLock {
                $0.held = [:]
                $0.heldLanes = [:]
            }
            logger.info("left the daemons sharing the store; its workspaces go to the others")
        } catch {
            logger.warning(
                "could not hand the leases over; the others take them when they run out",
                metadata: ["error": "\(error)"])
        }
    }

    /// One round: heartbeat, then release what another member should poll and take or renew the rest of this
    /// daemon's share. A failed round keeps the leases until they run out locally.
    ///
    /// - Returns: when the next round is due: after ``renewal``, or sooner when another member's heartbeat is about
    ///   to run out (a dead daemon's workspaces are taken as its leases expire, not up to a renewal later) or a
    ///   workspace of this daemon's share is still held by another.
    @discardableResult
    public func renew() async -> Duration {
        let started = monotonic()
        do {
            let (workspaces, held, lanes) = state.withLock { ($0.workspaces, $0.held, $0.lanes) }
            var me = member
            me.workspaces = Set(workspaces.map(\.id))
            me.lanes = lanes
            let heartbeats = try await store.heartbeat(me, ttl: leaseSeconds)
            let members = heartbeats.map(\.id)
            let live = members.contains(member.id) ? members : (members + [member.id]).sorted()
            // A workspace (an ordered lane) goes to one of the members configured for it: during a configuration
            // rolled out host by host, a daemon that does not know it yet (or any more) is never its owner.
            let others = heartbeats.filter { $0.id != member.id }
            let mine = workspaces.filter { workspace in
                Self.preferredOwner(
                    of: workspace, among: [member.id] + others.filter { $0.serves(workspace) }.map(\.id))
                    == member.id
            }
            let handOver = held.keys.filter { !mine.contains($0) }
            if !handOver.isEmpty {
                state.withLock { state in for workspace in handOver { state.held[workspace] = nil } }
                try await store.releaseLeases(handOver, owner: member.id)
                logger.info(
                    "handed workspaces over to another daemon",
                    metadata: ["workspaces": "\(handOver.map(\.id).sorted())"])
            }
            try await renewLanes(others: others, started: started)
            let epochs = try await store.claimLeases(mine.sorted { $0.id < $1.id }, owner: member.id, ttl: leaseSeconds)
            let until = started + lease - margin
            let taken = state.withLock { state -> [StoreWorkspace] in
                state.members = live
                var taken: [StoreWorkspace] = []
                for workspace in mine {
                    if let epoch = epochs[workspace] {
                        if state.held[workspace]?.epoch != epoch { taken.append(workspace) }
                        state.held[workspace] = Held(epoch: epoch, until: until)
                    } else {
                        state.held[workspace] = nil  // another daemon still holds it: it runs out or is handed over
                    }
                }
                return taken
            }
            if !taken.isEmpty {
                logger.info(
                    "took workspaces over",
                    metadata: ["workspaces": "\(taken.map(\.id).sorted())", "members": "\(live.count)"])
                takeovers.notify()
            }
            return Self.nextRound(
                renewal: renewal,
                othersExpireIn: heartbeats.filter { $0.id != member.id }.compactMap(\.expiresIn),
                waitingForHandOver: mine.contains { epochs[$0] == nil })
        } catch {
            logger.warning(
                "could not renew the leases; polling stops when they run out", metadata: ["error": "\(error)"])
            return renewal
        }
    }

    /// When the round after this one is due (see ``renew()``).
    static func nextRound(renewal: Duration, othersExpireIn: [Duration], waitingForHandOver: Bool) -> Duration {
        var next = waitingForHandOver ? min(renewal, handOverRetry) : renewal
        if let soonest = othersExpireIn.min() {
            next = min(next, max(.zero, soonest) + expiryMargin)
        }
        return next
    }

    /// The ordered lanes' share of a round: release those another member should deliver, take or renew the rest.
    private func renewLanes(others: [DaemonMember], started: Duration) async throws {
        let (lanes, held) = state.withLock { ($0.lanes, $0.heldLanes) }
        let mine = lanes.filter { lane in
            Self.preferredOwner(of: "lane:\(lane)", among: [member.id] + others.filter { $0.delivers(lane) }.map(\.id))
                == member.id
        }
        let handOver = held.keys.filter { !mine.contains($0) }
        if !handOver.isEmpty {
            state.withLock { state in for lane in handOver { state.heldLanes[lane] = nil } }
            try await store.releaseLaneLeases(handOver.sorted(), owner: member.id)
        }
        let epochs = try await store.claimLaneLeases(mine.sorted(), owner: member.id, ttl: leaseSeconds)
        let until = started + lease - margin
        state.withLock { state in
            for lane in mine {
                state.heldLanes[lane] = epochs[lane].map { Held(epoch: $0, until: until) }
            }
        }
    }

    /// The member that should poll `workspace`: the highest score of rendezvous hashing, so a member joining or
    /// leaving moves only its own share.
    public static func preferredOwner(of workspace: StoreWorkspace, among members: [String]) -> String? {
        preferredOwner(of: "\(workspace.id)", among: members)
    }

    /// The member that should serve `key` (a workspace's id, `lane:NAME`) by rendezvous hashing.
    static func preferredOwner(of key: String, among members: [String]) -> String? {
        members.max { score(key, $0) < score(key, $1) || (score(key, $0) == score(key, $1) && $0 < $1) }
    }

    /// FNV-1a (64 bits) of the key and the member id, finished with a murmur-style avalanche (FNV's bits mix poorly
    /// for short keys that differ at the end): the same on every host and every run.
    static func score(_ key: String, _ member: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(key)/\(member)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
