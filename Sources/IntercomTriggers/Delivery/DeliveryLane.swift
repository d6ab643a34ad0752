import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One destination's delivery loop, as a swift-service-lifecycle `Service`: reads the destination's due
/// outbox rows a batch at a time, hands them to its ``EventSink`` and records each outcome in the store.
///
/// Lanes are independent: each has its own task, sink, retry schedule and pause, so a slow, failing or
/// stopped destination never delays another. When nothing is due the lane sleeps until the
/// ``OutboxSignal`` fires, the next row falls due, or `quietPoll` passes (admin `replay` and `enable`
/// change the store from another process: in the daemon the scheduler's look notifies the signal then).
///
/// A ``LaneDispatch`` says how rows reach the sink: whole batches (stdout), single rows with several
/// sink calls in flight (webhooks, order best effort), or single rows strictly in order where a failed
/// head blocks the rows behind it (of its workspace). A lane serves the workspaces whose events it delivers
/// round-robin, so one workspace's backlog never holds back another's new events.
///
/// On graceful shutdown (or ``stop()``) the lane starts no new attempt, lets the ones in flight finish
/// (each bounded by its sink's timeout), records their outcomes and returns; rows it has not delivered
/// stay pending. A sink's ``DeliveryOutcome/stopLane(reason:)`` ends
/// deliveries on this lane only: it logs one error, shows ``LaneStatus/State/stopped(reason:)`` and then
/// waits for shutdown without returning early, so a `ServiceGroup` does not take it for the end of the
/// daemon.
public final class DeliveryLane: Service {
    /// The destination's configured name: its outbox lane in the store.
    public let destination: String

    let store: StateStore
    /// On a shared store (#16): whose member id claims the rows a turn takes, and whether this daemon delivers an
    /// ordered destination now. Nil: a SQLite store's one daemon.
    let leases: LeaseKeeper?
    /// How long a claim on the rows of a turn lasts: longer than their attempts can take.
    let claimSeconds: Int
    let sink: any EventSink
    private let signal: OutboxSignal
    let clock: any WallClock
    let retrySchedule: any RetrySchedule
    let batchSize: Int
    let dispatch: LaneDispatch
    let idlePoll: Duration
    let quietPoll: Duration
    /// The daemon lanes' `quietPoll` on a SQLite store: only a safety net, since this process's commits notify the
    /// lanes, rows falling due end the wait, and the scheduler wakes them on other processes' writes within
    /// ``PollScheduler/flushInterval``. Each quiet look started pool threads afresh (dispatch's idle workers have
    /// left by then) for a few store reads: at 30 s a quarter of an idle daemon's own CPU (docs/decisions.md).
    public static let daemonQuietPoll: Duration = .seconds(300)
    /// The `quietPoll` of lanes on a shared (PostgreSQL) store, where other daemons' rows arrive through `LISTEN`,
    /// and while that connection is being made again only by looking.
    public static let sharedStoreQuietPoll: Duration = .seconds(30)
    let shutdownGrace: Duration
    let logger: Logger
    /// Notified once when the lane is asked to stop (graceful shutdown or ``stop()``).
    let stopping = OutboxSignal()
    private let current: Mutex<LaneStatus>
    /// Outcomes received but not yet in the store.
    let ledger = LaneLedger()
    /// The workspace the last turn ended with: the next turn's round-robin starts after it (``dueRows(now:)``).
    let rotation = Mutex<StoreWorkspace?>(nil)
    let telemetry: DaemonTelemetry
    /// This lane's name in ``DaemonTelemetry/Snapshot/loops``.
    public var loopName: String { "lane \(destination)" }

    /// Creates the lane of `destination`.
    ///
    /// - Parameters:
    ///   - retrySchedule: when a failed entry is tried again (stdout: a short fixed delay, for ever).
    ///   - batchSize: how many due rows one turn reads (and, with ``LaneDispatch/batches``, one sink call
    ///     gets) at most.
    ///   - dispatch: how rows are handed to the sink; ``LaneDispatch/batches`` for stdout.
    ///   - idlePoll: the longest a throttled lane sleeps before looking at the store again, and a throttle's
    ///     length when the receiver named none.
    ///   - quietPoll: the longest a lane with nothing due (or disabled) sleeps before looking at the store again
    ///     unless `signal` wakes it (default `idlePoll`). The daemon's lanes wait long: its scheduler notifies
    ///     `signal` when another process wrote to the store (``PollScheduler/lookForOutsideWrites()``).
    ///   - telemetry: where outcomes and the loop's progress are reported.
    ///   - shutdownGrace: how long requests in flight may finish once the lane is asked to stop (concurrent
    ///     dispatch); it must fit inside the daemon's shutdown bound (``ShutdownBudget/laneGrace``).
    public init(
        destination: String, store: StateStore, sink: any EventSink, signal: OutboxSignal,
        clock: any WallClock = SystemWallClock(),
        retrySchedule: any RetrySchedule = FixedRetrySchedule(delay: .seconds(5)), batchSize: Int = 100,
        dispatch: LaneDispatch = .batches, idlePoll: Duration = .seconds(1), quietPoll: Duration? = nil,
        logger: Logger = Logger(label: "intercom-triggerd.delivery"), telemetry: DaemonTelemetry = DaemonTelemetry(),
        shutdownGrace: Duration = .seconds(5), leases: LeaseKeeper? = nil, claimSeconds: Int = 120
    ) {
        self.leases = leases
        self.claimSeconds = claimSeconds
        self.destination = destination
        self.store = store
        self.sink = sink
        self.signal = signal
        self.clock = clock
        self.retrySchedule = retrySchedule
        self.batchSize = max(1, batchSize)
        self.dispatch = dispatch
        self.idlePoll = idlePoll
        self.quietPoll = quietPoll ?? idlePoll
        self.shutdownGrace = shutdownGrace
        var logger = logger
        logger[metadataKey: "destination"] = "\(destination)"
        self.logger = logger
        current = Mutex(LaneStatus(destination: destination, state: .starting))
        self.telemetry = telemetry
    }

    /// What the lane is doing now, for a status provider.
    public var status: LaneStatus { current.withLock { $0 } }

    /// Asks the lane to finish its batch in hand and return, as graceful shutdown does.
    public func stop() {
        stopping.notify()
    }

    /// Delivers until graceful shutdown, ``stop()`` or cancellation; never throws (store errors are logged
    /// and retried after `idlePoll`).
    public func run() async throws {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: { [stopping] in
            stopping.notify()
        }
        update { $0.state = .finished }
        telemetry.finished(loopName)
    }

    /// Whether ``stop()`` or graceful shutdown has been requested.
    var isStopRequested: Bool { stopping.generation != 0 }

    var isStopping: Bool { stopping.generation != 0 || Task.isCancelled }

    private func loop() async {
        update { $0.state = .running }
        while !isStopping {
            telemetry.progress(loopName)
            // Taken before reading the outbox, so a commit notified after the read still wakes the wait.
            let token = signal.generation
            let now = currentTime()
            do {
                if let state = try await store.destinationStates().first(where: { $0.name == destination }),
                    state.isDisabled
                {
                    enter(.disabled(reason: state.disabledReason))
                    await pause(for: quietPoll, token: token)
                    continue
                }
                let (due, next) = try await dueRows(now: now)
                guard !due.isEmpty else {
                    enter(.running)
                    var wait = quietPoll
                    if let next {
                        wait = min(wait, .seconds(max(0, next - now)))
                    }
                    await pause(for: wait, token: token)
                    continue
                }
                enter(.running)
                let attempted = await attempt(due, at: now)
                if dispatch == .batches, attempted.count != due.count {
                    logger.error(
                        "Sink returned \(attempted.count) outcomes for \(due.count) events; the rest stay pending untouched"
                    )
                }
                // Outcomes the store would not take yet are written before anything is read or sent again:
                // a row delivered but still pending in the store would be sent twice. (A stopping lane gives
                // them up after a few tries, with one error line.)
                while !ledger.isEmpty { await writeLedger() }
                switch try await decide(attempted, at: now) {
                case .carryOn:
                    continue
                case .throttle(let until, let seqs):
                    enter(.throttled(until: until))
                    await waitOutThrottle(until: until, seqs: seqs)
                case .stop(let reason):
                    logger.error(
                        "Delivery lane stopped: nothing more is sent to this destination until the daemon restarts; its pending events stay queued",
                        metadata: ["reason": "\(reason)"])
                    update {
                        $0.state = .stopped(reason: reason)
                        $0.lastError = reason
                    }
                    // Stay up until shutdown: a service that returns would end the whole group.
                    await stopping.wait(since: 0)
                    return
                }
            } catch {
                logger.error("Delivery lane cannot use the store; retrying", metadata: ["error": "\(error)"])
                update { $0.lastError = "\(error)" }
                await pause(for: idlePoll, token: nil)
            }
        }
    }

    /// Sends nothing until `until`, looking at the store every `idlePoll`: an admin's `replay --waiting` (from
    /// another process) makes the throttled rows due and ends the wait early. Rows that are gone end it too.
    private func waitOutThrottle(until: Int, seqs: [Int64]) async {
        while !isStopping, currentTime() < until {
            await pause(for: min(idlePoll, .seconds(max(0, until - currentTime()))), token: nil)
            guard (try? await store.isWaiting(destination: destination, seqs: seqs, until: until)) ?? true else {
                logger.info("Throttled deliveries were made due by an admin; sending again")
                return
            }
        }
    }

    /// Sleeps for `duration`, ending early on stop, cancellation, or (with a `token`) an outbox notification.
    func pause(for duration: Duration, token: UInt64?) async {
        telemetry.waiting(loopName)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [clock] in try? await clock.sleep(for: duration) }
            group.addTask { [stopping] in await stopping.wait(since: 0) }
            if let token {
                group.addTask { [signal] in await signal.wait(since: token) }
            }
            // Whichever ends first decides; the others are cancelled when the group is left.
            await group.next()
            group.cancelAll()
        }
    }

    private func enter(_ state: LaneStatus.State) {
        let changed = current.withLock { status in
            defer { status.state = state }
            return status.state != state
        }
        if changed, case .disabled(let reason) = state {
            logger.warning(
                "Destination is disabled; waiting for an admin to re-enable it", metadata: ["reason": "\(reason ?? "")"]
            )
        }
    }

    func update(_ change: (inout LaneStatus) -> Void) {
        current.withLock { change(&$0) }
    }

    func currentTime() -> Int {
        Int(clock.now().timeIntervalSince1970)
    }

    /// Whole seconds, rounded up.
    static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}
