import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One workspace's poll loop: every `interval`, applies admin resets, runs one pass per resource with enabled
/// topics, records the outcome per topic for `status`, and prunes seen versions behind the horizon.
/// Failures are recorded and retried with a growing delay; queued deliveries go on regardless. With many
/// workspaces a ``PollScheduler`` runs one per workspace.
public final class PollerService: Service {
    /// What the loop needs besides the store and the source.
    public struct Settings: Sendable {
        public var topics: [Topic]
        public var interval: Duration
        /// Seconds.
        public var lookback: Int
        /// Destination name → topics it takes (nil = all).
        public var routes: OutboxRoutes
        /// `[triggers] ignore_fields`.
        public var ignoredFields: [String]

        public init(
            topics: [Topic], interval: Duration, lookback: Int, routes: OutboxRoutes,
            ignoredFields: [String] = DaemonConfiguration.Triggers.defaultIgnoreFields
        ) {
            self.topics = topics
            self.interval = interval
            self.lookback = lookback
            self.routes = routes
            self.ignoredFields = ignoredFields
        }
    }

    let store: StateStore
    let source: any ObservationSource
    let settings: Settings
    let clock: any WallClock
    let logger: Logger
    /// The workspace id (`app.id_code` of `GET /me`), asked for until it answers.
    let workspace: @Sendable () async throws -> String
    /// Called with the workspace id once the store accepted it (never with another workspace's).
    let onWorkspace: @Sendable (String) -> Void
    /// Called after a page queued events, so delivery lanes wake at once.
    let onCommit: @Sendable () -> Void
    /// Where cycles, events and the loop's progress are reported.
    public let telemetry: DaemonTelemetry
    /// The loop's name in ``DaemonTelemetry/Snapshot/loops`` (the single workspace's; others add their name).
    public static let loopName = "poller"
    /// The name of `workspace`'s loop: `poller`, or `poller NAME` for a workspace not named `default`.
    public static func loopName(for workspace: String) -> String {
        workspace == DaemonConfiguration.Workspace.defaultName ? loopName : "\(loopName) \(workspace)"
    }
    /// This loop's name in ``DaemonTelemetry/Snapshot/loops``.
    public var loopName: String { Self.loopName(for: name) }
    /// The workspace's name in the configuration (the `workspace` label of its metrics).
    public let name: String
    /// The workspace's rows in the store.
    public let storeWorkspace: StoreWorkspace
    /// How long to wait before the first cycle: spreads many workspaces over the interval.
    let firstDelay: Duration
    /// Where idle polls are noted for a batched write (the scheduler's); nil: each is written at once.
    let idleRecords: IdlePollRecords?
    /// How long `status` may show an older idle poll: idle polls are recorded at most this often (seconds).
    public static let idleRecordInterval = 60
    /// Per resource, when its last poll was recorded and whether it was idle (``cycle(workspaceID:)``).
    private let recorded = Mutex<[Resource: (at: Int, idle: Bool)]>([:])
    /// Which workspaces have resets waiting (the scheduler's); nil: the store is asked at every cycle.
    let resetWatch: ResetWatch?
    /// Whose turn it is to poll, on a shared store (#16): a cycle runs only while this daemon holds the workspace's
    /// lease, and its pages are committed fenced on it. Nil: a SQLite store's one daemon polls every workspace.
    let leases: LeaseKeeper?
    /// Whether this loop has applied the resets waiting when it started (with a ``resetWatch``).
    private let checkedResets = Atomic(false)
    /// Per resource, the store's state as the last pass left it (read, or as its committed last page left it):
    /// this loop is the only writer of its workspace's watermarks, resume points and pruning marks, so an idle
    /// poll needs no store read (`status`' fields and reset requests, which others write, are not used by a pass).
    private let passStates = Mutex<[Resource: PassState]>([:])
    /// Per resource, how many items its last pass found within its range: the next first page is sized by it.
    private let recentItems = Mutex<[Resource: Int]>([:])
    /// The resources with enabled topics, in pass order, with their topics.
    private let resourceTopics: [(resource: Resource, topics: [Topic])]
    /// Per resource, its pass for the workspace id it was made for: the same every cycle (each makes sets of names).
    private let passes = Mutex<[Resource: ResourcePass]>([:])

    public init(
        store: StateStore, source: any ObservationSource, settings: Settings, clock: any WallClock,
        logger: Logger, workspace: @escaping @Sendable () async throws -> String,
        onWorkspace: @escaping @Sendable (String) -> Void = { _ in },
        onCommit: @escaping @Sendable () -> Void = {}, telemetry: DaemonTelemetry = DaemonTelemetry(),
        name: String = DaemonConfiguration.Workspace.defaultName, storeWorkspace: StoreWorkspace = .first,
        firstDelay: Duration = .zero, idleRecords: IdlePollRecords? = nil, resetWatch: ResetWatch? = nil,
        leases: LeaseKeeper? = nil
    ) {
        self.leases = leases
        self.resetWatch = resetWatch
        self.idleRecords = idleRecords
        self.name = name
        self.storeWorkspace = storeWorkspace
        self.firstDelay = firstDelay
        self.onWorkspace = onWorkspace
        self.store = store
        self.source = source
        self.settings = settings
        self.resourceTopics = Resource.allCases.compactMap { resource in
            let topics = settings.topics.filter { $0.resource == resource }
            return topics.isEmpty ? nil : (resource, topics)
        }
        self.clock = clock
        self.logger = logger
        self.workspace = workspace
        self.onCommit = onCommit
        self.telemetry = telemetry
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.loop() }
        } catch is CancellationError {
            // Graceful shutdown: the page in hand was committed or not at all.
        }
        telemetry.finished(loopName)
    }

    /// The pass state kept for `resource`, if any (for tests: it must equal what the store holds).
    func keptPassState(_ resource: Resource) -> PassState? { passStates.withLock { $0[resource] } }

    /// Polls until cancelled (the page in hand is committed or not at all).
    func loop() async throws {
        var failures = 0
        var workspaceID: String?
        let grid = Self.wakeUpGrid(for: settings.interval)
        if firstDelay > .zero {
            telemetry.waiting(loopName)
            try await clock.sleep(for: firstDelay, coalescingOn: grid)
        }
        var epoch: Int64?
        while !Task.isCancelled {
            telemetry.progress(loopName)
            var fence: LeaseFence?
            if let leases {
                let takeovers = leases.takeovers.generation
                guard let held = leases.fence(for: storeWorkspace) else {
                    // Another daemon polls this workspace (or no lease is taken yet): look again after a renewal,
                    // or at once when this daemon takes workspaces over.
                    if epoch != nil { logger.info("another daemon polls this workspace now") }
                    epoch = nil
                    telemetry.standingBy(workspace: name)
                    telemetry.waiting(loopName)
                    try await standBy(
                        for: min(settings.interval, leases.renewal), until: leases.takeovers, since: takeovers,
                        grid: grid)
                    continue
                }
                if held.epoch != epoch {
                    // Taken (over): what this loop kept of the store may be another daemon's past; read it afresh.
                    passStates.withLock { $0 = [:] }
                    checkedResets.store(false, ordering: .relaxed)
                    epoch = held.epoch
                }
                fence = held
            }
            let started = ContinuousClock.now
            let cycleStarted = clock.now()
            do {
                let id: String
                if let known = workspaceID {
                    id = known
                } else {
                    id = try await self.resolveWorkspace()
                    workspaceID = id
                }
                try await self.cycle(workspaceID: id, fence: fence)
                if failures > 0 { self.logger.info("polling recovered") }
                failures = 0
                telemetry.pollFinished(workspace: name, duration: ContinuousClock.now - started, error: nil)
            } catch is CancellationError {
                return
            } catch StoreError.fenced(_, let lost) {
                // Not a failure: the lease went to another daemon while this cycle ran; its page was not committed.
                leases?.lost(storeWorkspace, epoch: lost)
                logger.warning("another daemon took this workspace over; the page in hand was not committed")
                epoch = nil
                continue
            } catch {
                failures += 1
                telemetry.pollFinished(workspace: name, duration: ContinuousClock.now - started, error: error)
                self.recordFailure(error, firstOfRun: failures == 1)
                // Asking which workspace the token belongs to failed (a revoked token, Intercom down): `status`
                // shows it on every topic, as a failed pass would.
                if workspaceID == nil {
                    try? await store.recordPoll(
                        topics: settings.topics.map(\.name), at: Int(clock.now().timeIntervalSince1970),
                        result: "error", error: String(describing: error), in: storeWorkspace)
                }
            }
            telemetry.waiting(loopName)
            // Cycles start an interval apart (a cycle's own length does not stretch the next wait), so the grid
            // keeps a loop on the same points cycle after cycle; failures back off from their end.
            let wait =
                failures > 0
                ? delay(afterFailures: failures)
                : Self.remaining(of: settings.interval, since: cycleStarted, now: clock.now())
            try await self.clock.sleep(for: wait, coalescingOn: grid)
        }
    }

    /// Sleeps for `duration` or until `signal` moves past `generation`; throws when cancelled.
    private func standBy(
        for duration: Duration, until signal: OutboxSignal, since generation: UInt64, grid: Duration
    ) async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [clock] in try? await clock.sleep(for: duration, coalescingOn: grid) }
            group.addTask { await signal.wait(since: generation) }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }

    /// One cycle: resets, a pass per resource, per-topic bookkeeping and pruning.
    @discardableResult
    public func cycle(workspaceID: String, fence: LeaseFence? = nil) async throws -> [PassReport] {
        // With a watch, the store is asked once at the start and then only when the watch saw resets waiting.
        var askStore = true
        if let resetWatch {
            let first = !checkedResets.exchange(true, ordering: .relaxed)
            askStore = resetWatch.take(storeWorkspace) || first
        }
        let reset = askStore ? try await store.applyPendingResets(in: storeWorkspace) : []
        if !reset.isEmpty {
            passStates.withLock { $0 = [:] }
            logger.info("watermarks reset", metadata: ["topics": "\(reset.joined(separator: ","))"])
        }
        var reports: [PassReport] = []
        for (resource, topics) in resourceTopics {
            // Intercom's clock when its responses told it: the lookback and the future-date margin are about
            // its search index, not this host.
            let now = Int((source.serverNow() ?? clock.now()).timeIntervalSince1970)
            let pass = self.pass(resource, topics: topics, workspaceID: workspaceID)
            do {
                let (telemetry, store, routes) = (self.telemetry, self.store, settings.routes)
                let known = passStates.withLock { $0.removeValue(forKey: resource) }
                let report = try await pass.run(
                    source: source, store: store, now: now, state: known,
                    recentItems: recentItems.withLock { $0[resource] },
                    commit: { page in
                        var page = page
                        page.fence = fence
                        return try await store.commit(page, routes: routes)
                    },
                    onCommit: onCommit, onPage: { [loopName] in telemetry.progress(loopName) })
                reports.append(report)
                recentItems.withLock { $0[resource] = report.items }
                if let state = report.stateForNextPass {
                    passStates.withLock { $0[resource] = state }
                }
                if report.resumed {
                    logger.info(
                        "Finished a pass that had stopped part way, from the last page it committed",
                        metadata: ["resource": "\(resource)"])
                }
                for (topic, count) in report.eventsByTopic {
                    telemetry.eventsQueued(topic: topic, count: count, workspace: name)
                }
                for (topic, count) in report.suppressedByTopic {
                    telemetry.updatesSuppressed(topic: topic, count: count, workspace: name)
                }
                for (name, count) in report.filteredByDestination {
                    telemetry.eventsFiltered(destination: name, count: count)
                }
                for item in report.skipped {
                    logger.error(
                        "Skipped an item Intercom returned that cannot be read; the rest of its page was processed",
                        metadata: [
                            "resource": "\(resource)", "id": "\((item.id ?? "-").prefix(200))",
                            "reason": "\(item.reason)",
                        ])
                }
                telemetry.itemsSkipped(resource: resource, count: report.skipped.count, workspace: name)
                for id in report.futureDated {
                    logger.warning(
                        "An item Intercom returned is dated in the future; the watermark stops at the clock plus a margin",
                        metadata: ["resource": "\(resource)", "id": "\(id.prefix(200))"])
                }
                telemetry.itemsFutureDated(resource: resource, count: report.futureDated.count, workspace: name)
                for id in report.replacedInvalidUTF8 {
                    logger.warning(
                        "An item Intercom returned held bytes that are not UTF-8; its event carries U+FFFD in their place",
                        metadata: ["resource": "\(resource)", "id": "\(id.prefix(200))"])
                }
                let skipped = report.skipped.isEmpty ? "" : "\(report.skipped.count) skipped, "
                // An idle poll (nothing queued, skipped or future-dated, after an idle one) is recorded for
                // `status` at most every idleRecordInterval: an idle workspace's polls write nothing else.
                let idle = report.events == 0 && report.skipped.isEmpty && report.futureDated.isEmpty
                let record = recorded.withLock { recorded in
                    if idle, let last = recorded[resource], last.idle, now - last.at < Self.idleRecordInterval,
                        now >= last.at
                    {
                        return false
                    }
                    recorded[resource] = (now, idle)
                    return true
                }
                let result = {
                    "ok: \(report.pages) requests, \(report.items) items, \(skipped)\(report.events) events"
                }
                if record, idle, let idleRecords {
                    idleRecords.note(
                        PollRecord(workspace: storeWorkspace, topics: topics.map(\.name), at: now, result: result()))
                } else if record {
                    try await store.recordPoll(
                        topics: topics.map(\.name), at: now,
                        result: result(), error: nil, skipped: report.skipped.count,
                        futureDated: report.futureDated.count,
                        in: storeWorkspace)
                }
                logger.debug(
                    "poll",
                    metadata: ["resource": "\(resource)", "requests": "\(report.pages)", "events": "\(report.events)"])
            } catch {
                if error is CancellationError { throw error }
                recorded.withLock { $0[resource] = nil }
                if case StoreError.fenced = error { throw error }  // not this daemon's workspace now: record nothing
                try? await store.recordPoll(
                    topics: topics.map(\.name), at: now, result: "error", error: String(describing: error),
                    in: storeWorkspace)
                throw error
            }
            try await prune(topics, after: reports[reports.count - 1], now: now)
        }
        return reports
    }

    /// `resource`'s pass over `topics` for `workspaceID`, made once.
    private func pass(_ resource: Resource, topics: [Topic], workspaceID: String) -> ResourcePass {
        passes.withLock { passes in
            if let known = passes[resource], known.workspaceID == workspaceID { return known }
            let pass = ResourcePass(
                resource: resource, topics: topics, lookback: settings.lookback, workspaceID: workspaceID,
                ignoredFields: settings.ignoredFields, storeWorkspace: storeWorkspace)
            passes[resource] = pass
            return pass
        }
    }

    /// Updated topics forget versions behind their horizon: no pass reads that far back again.
    /// Created topics keep one version per item for good (docs/polling.md). Only once the horizon moved half a
    /// lookback past the last pruning: an idle poll writes nothing, and the rows kept a little longer cost nothing.
    func prune(_ topics: [Topic], after pass: PassReport, now: Int) async throws {
        // A handful of names: a set would cost more to build than the few looks it serves.
        let updated = topics.filter { $0.version == .updatedAt }.map(\.name)
        guard !updated.isEmpty else { return }
        // A pass that committed nothing left its topics as it read them: no read needed.
        var states = pass.states
        if pass.uncommittedPages < pass.pages {
            // What the committed last page left, else a read.
            let topics: [TopicState]
            if let after = pass.passStateAfter {
                topics = after.topics
            } else {
                topics = try await store.topicStates(in: storeWorkspace)
            }
            states = Dictionary(uniqueKeysWithValues: topics.map { ($0.topic, $0) })
        }
        let step = max(1, settings.lookback / 2)
        let horizons = states.values.filter { updated.contains($0.topic) }.reduce(into: [String: Int]()) {
            let horizon = $1.horizon(now: now, lookback: settings.lookback)
            if let pruned = $1.prunedBelow, horizon.subtractingSaturated(pruned) < step { return }
            $0[$1.topic] = horizon
        }
        guard !horizons.isEmpty else { return }
        // Pruning moves pruned_below, which the next pass's windows read: the kept state goes while it runs (a
        // failure leaves it unknown) and comes back moved as the store moves it (never backwards).
        let before = passStates.withLock { $0.removeValue(forKey: pass.resource) }
        _ = try await store.pruneSeenVersions(olderThan: horizons, in: storeWorkspace)
        guard var kept = before else { return }
        for index in kept.topics.indices {
            guard let horizon = horizons[kept.topics[index].topic] else { continue }
            kept.topics[index].prunedBelow = max(kept.topics[index].prunedBelow ?? horizon, horizon)
        }
        passStates.withLock { $0[pass.resource] = kept }
    }

    /// Asks Intercom which workspace the token belongs to, and refuses a store that holds another's state.
    func resolveWorkspace() async throws -> String {
        let id = try await workspace()
        let stored = try await store.appID(of: storeWorkspace)
        if let stored, stored != id {
            throw WorkspaceMismatch(stored: stored, current: id)
        }
        if stored == nil, let other = try await store.claimAppID(id, for: storeWorkspace) {
            throw WorkspaceAppShared(workspace: name, other: other, appID: id)
        }
        onWorkspace(id)
        return id
    }

    /// The grid the loop's sleeps end on (``WallClock/sleep(for:coalescingOn:)``): a twentieth of the interval.
    /// Loops spread over the interval then wake in twenty groups — a thousand workspaces wake fifty at a time instead
    /// of each on its own — which more than halves the CPU of an idle poll (thread wake-ups were most of it), at a
    /// 1 s interval as at 2 min. The interval being a whole number of steps, a loop whose cycles start an interval
    /// apart stays on its point: only its first wait and backoffs move, by at most half a step.
    static func wakeUpGrid(for interval: Duration) -> Duration {
        interval / 20
    }

    /// What is left of `interval` after a cycle that started at `started`: none once it is over, all of it when
    /// the wall clock went back.
    static func remaining(of interval: Duration, since started: Date, now: Date) -> Duration {
        let elapsed = now.timeIntervalSince(started)
        guard elapsed > 0 else { return interval }
        return elapsed >= Double(interval.components.seconds) + 1 ? .zero : max(.zero, interval - .seconds(elapsed))
    }

    /// The interval, doubled per consecutive failure up to the larger of the interval and five minutes.
    func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return settings.interval }
        let ceiling = max(settings.interval, .seconds(300))
        return min(settings.interval * (1 << min(failures - 1, 16)), ceiling)
    }

    private func recordFailure(_ error: any Error, firstOfRun: Bool) {
        // One error line per outage at error level, the rest at debug: a 401 should not flood the journal.
        let level: Logger.Level = firstOfRun ? .error : .debug
        logger.log(level: level, "poll failed: \(error)")
    }
}

/// A workspace's token belongs to an Intercom app whose state the store holds under another workspace's name:
/// polling it would detect every event twice (under two names). Refused for this workspace only.
public struct WorkspaceAppShared: Error, CustomStringConvertible {
    public var workspace: String
    public var other: String
    public var appID: String
    public var description: String {
        "workspace \(workspace)'s token belongs to Intercom app \(appID), which the store already serves as workspace "
            + "\(other); two workspaces must not read the same app (each event would be detected twice): to continue "
            + "that app's state under this name, rename the workspace back to \(other)"
    }
}

/// The store was written for another workspace than the token's.
public struct WorkspaceMismatch: Error, CustomStringConvertible {
    public var stored: String
    public var current: String
    public var description: String {
        "the store holds state for workspace \(stored) but the access token belongs to \(current); "
            + "use another [store] path or remove the old state"
    }
}
