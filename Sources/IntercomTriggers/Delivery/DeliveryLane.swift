import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One destination's delivery loop, as a swift-service-lifecycle `Service`: reads the destination's due
/// outbox rows a batch at a time, hands them to its ``EventSink`` and records each outcome in the store.
///
/// Lanes are independent: each has its own task, sink, retry schedule and pause, so a slow, failing or
/// stopped destination never delays another. When nothing is due the lane sleeps until the
/// ``OutboxSignal`` fires, the next row falls due, or `idlePoll` passes (admin `replay` and `enable`
/// change the store from another process, with no signal).
///
/// A ``LaneDispatch`` says how rows reach the sink: whole batches (stdout), single rows with several
/// sink calls in flight (webhooks, order best effort), or single rows strictly in order where a failed
/// head blocks the rows behind it.
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

    private let store: StateStore
    private let sink: any EventSink
    private let signal: OutboxSignal
    private let clock: any WallClock
    private let retrySchedule: any RetrySchedule
    private let batchSize: Int
    private let dispatch: LaneDispatch
    private let idlePoll: Duration
    private let shutdownGrace: Duration
    private let logger: Logger
    /// Notified once when the lane is asked to stop (graceful shutdown or ``stop()``).
    private let stopping = OutboxSignal()
    private let current: Mutex<LaneStatus>
    private let telemetry: DaemonTelemetry
    /// This lane's name in ``DaemonTelemetry/Snapshot/loops``.
    public var loopName: String { "lane \(destination)" }

    /// Creates the lane of `destination`.
    ///
    /// - Parameters:
    ///   - retrySchedule: when a failed entry is tried again (stdout: a short fixed delay, for ever).
    ///   - batchSize: how many due rows one turn reads (and, with ``LaneDispatch/batches``, one sink call
    ///     gets) at most.
    ///   - dispatch: how rows are handed to the sink; ``LaneDispatch/batches`` for stdout.
    ///   - idlePoll: the longest an idle lane sleeps before looking at the store again.
    ///   - telemetry: where outcomes and the loop's progress are reported.
    ///   - shutdownGrace: how long requests in flight may finish once the lane is asked to stop (concurrent
    ///     dispatch); it must fit inside the daemon's shutdown bound (``ShutdownBudget/laneGrace``).
    public init(
        destination: String, store: StateStore, sink: any EventSink, signal: OutboxSignal,
        clock: any WallClock = SystemWallClock(),
        retrySchedule: any RetrySchedule = FixedRetrySchedule(delay: .seconds(5)), batchSize: Int = 100,
        dispatch: LaneDispatch = .batches, idlePoll: Duration = .seconds(1),
        logger: Logger = Logger(label: "intercom-triggerd.delivery"), telemetry: DaemonTelemetry = DaemonTelemetry(),
        shutdownGrace: Duration = .seconds(5)
    ) {
        self.destination = destination
        self.store = store
        self.sink = sink
        self.signal = signal
        self.clock = clock
        self.retrySchedule = retrySchedule
        self.batchSize = max(1, batchSize)
        self.dispatch = dispatch
        self.idlePoll = idlePoll
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

    private var isStopping: Bool { stopping.generation != 0 || Task.isCancelled }

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
                    await pause(for: idlePoll, token: nil)
                    continue
                }
                let (due, next) = try await dueRows(now: now)
                guard !due.isEmpty else {
                    enter(.running)
                    var wait = idlePoll
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
                switch try await record(attempted, at: now) {
                case .carryOn:
                    continue
                case .throttle(let until):
                    enter(.throttled(until: until))
                    await pause(for: .seconds(max(0, until - currentTime())), token: nil)
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

    private enum Next {
        case carryOn
        case throttle(until: Int)
        case stop(reason: String)
    }

    /// The rows to attempt now, and when the next one falls due if none does.
    ///
    /// Ordered lanes look only at the oldest pending rows: when the head is not due, nothing behind it is.
    private func dueRows(now: Int) async throws -> (due: [OutboxEntry], next: Int?) {
        if dispatch == .ordered {
            let head = try await store.dueOutbox(destination: destination, now: Int.max, limit: batchSize)
            return (Array(head.prefix { $0.nextAttemptAt <= now }), head.first?.nextAttemptAt)
        }
        let due = try await store.dueOutbox(destination: destination, now: now, limit: batchSize)
        return (due, due.isEmpty ? try await store.nextAttemptAt(destination: destination) : nil)
    }

    /// Hands `due` to the sink per ``dispatch``; returns each attempted row with its outcome. Rows not
    /// attempted (stop requested, a blocked head, a throttled or disabled destination) are left out.
    private func attempt(_ due: [OutboxEntry], at now: Int) async -> [(OutboxEntry, DeliveryOutcome)] {
        switch dispatch {
        case .batches:
            return Array(zip(due, await sink.deliver(due, attemptAt: now)))
        case .ordered:
            var attempted: [(OutboxEntry, DeliveryOutcome)] = []
            for entry in due where !isStopping {
                guard let outcome = await sink.deliver([entry], attemptAt: currentTime()).first else { break }
                attempted.append((entry, outcome))
                if outcome != .delivered { break }  // the head blocks the rest
            }
            return attempted
        case .concurrent(let limit):
            return await attemptConcurrently(due, limit: max(1, limit))
        }
    }

    /// Up to `limit` sink calls in flight, one row each; stops starting new ones once the destination
    /// throttles, disables or stops the lane, or the lane is asked to stop.
    ///
    /// `limit` workers take the next row from a shared cursor until the batch is done: a child task per
    /// worker rather than per row, so a delivery costs no task creation and no wake-up of this loop.
    private func attemptConcurrently(_ due: [OutboxEntry], limit: Int) async -> [(OutboxEntry, DeliveryOutcome)] {
        let turn = ConcurrentTurn(count: due.count)
        let workers = min(limit, due.count)
        await withTaskGroup(of: Bool.self) { group in
            // Once the lane is asked to stop, requests still in flight get `shutdownGrace`; then they are
            // abandoned (their rows stay pending), so shutdown is bounded however slow the receiver.
            group.addTask { [stopping, shutdownGrace] in
                await stopping.wait(since: 0)
                if !Task.isCancelled { try? await Task.sleep(for: shutdownGrace) }
                return true
            }
            for _ in 0..<workers {
                group.addTask { [sink] in
                    while !self.isStopping, let index = turn.take() {
                        let outcome = await sink.deliver([due[index]], attemptAt: self.currentTime()).first
                        // An abandoned request's late answer is not recorded: the row is simply still due.
                        if Task.isCancelled { break }
                        turn.record(outcome, at: index)
                    }
                    return false
                }
            }
            var running = workers
            while running > 0, let graceExpired = await group.next() {
                if graceExpired {
                    group.cancelAll()
                } else {
                    running -= 1
                }
            }
            group.cancelAll()  // ends the grace timer when nothing was abandoned
        }
        return zip(due, turn.outcomes).compactMap { entry, outcome in outcome.map { (entry, $0) } }
    }

    /// The shared state of one concurrent turn: the next row to take and each row's outcome.
    private final class ConcurrentTurn: Sendable {
        private struct State {
            var outcomes: [DeliveryOutcome?]
            var next = 0
            /// Set by an outcome that pauses or stops the lane: no further row is taken.
            var halted = false
        }

        private let state: Mutex<State>

        init(count: Int) {
            state = Mutex(State(outcomes: Array(repeating: nil, count: count)))
        }

        var outcomes: [DeliveryOutcome?] { state.withLock { $0.outcomes } }

        /// The next row's index, `nil` once every row is taken or the turn is halted.
        func take() -> Int? {
            state.withLock { state in
                guard !state.halted, state.next < state.outcomes.count else { return nil }
                defer { state.next += 1 }
                return state.next
            }
        }

        func record(_ outcome: DeliveryOutcome?, at index: Int) {
            state.withLock { state in
                state.outcomes[index] = outcome
                switch outcome {
                case .throttled, .disable, .stopLane: state.halted = true
                case .delivered, .failed, nil: break
                }
            }
        }
    }

    /// Records the outcomes of one turn attempted at `now`: delivered rows first (one transaction), then
    /// each failure with its next attempt, then a disabled destination.
    private func record(_ paired: [(OutboxEntry, DeliveryOutcome)], at now: Int) async throws -> Next {
        for case .stopLane(let reason) in paired.map(\.1) {
            return .stop(reason: reason)
        }
        let delivered = paired.compactMap { $0.1 == .delivered ? $0.0.event.seq : nil }
        if !delivered.isEmpty {
            try await store.markDelivered(destination: destination, seqs: delivered, at: now)
            update { $0.delivered += delivered.count }
            telemetry.deliveries(destination: destination, outcome: .delivered, count: delivered.count)
        }
        var throttledUntil: Int?
        var disabledReason: String?
        for (entry, outcome) in paired {
            switch outcome {
            case .delivered, .stopLane:
                continue
            case .failed(let status, let error, let retryAfter):
                let next = try await recordFailure(entry, status: status, error: error, retryAfter: retryAfter, at: now)
                telemetry.deliveries(destination: destination, outcome: next == nil ? .deadLetter : .failed)
            case .throttled(let status, let error, let retryAfter):
                let next = try await recordFailure(entry, status: status, error: error, retryAfter: retryAfter, at: now)
                telemetry.deliveries(destination: destination, outcome: next == nil ? .deadLetter : .throttled)
                let until = next ?? now + Self.seconds(retryAfter ?? idlePoll)
                throttledUntil = max(throttledUntil ?? until, until)
            case .disable(let reason):
                disabledReason = reason
                telemetry.deliveries(destination: destination, outcome: .disabled)
            }
        }
        if let disabledReason {
            try await store.setDestinationDisabled(destination, reason: disabledReason, at: now)
            logger.error(
                "Destination disabled; it stays disabled until an admin re-enables it",
                metadata: ["reason": "\(disabledReason)"])
            update { $0.lastError = disabledReason }
            return .carryOn  // the next turn finds it disabled
        }
        return throttledUntil.map { .throttle(until: $0) } ?? .carryOn
    }

    /// Records failed attempt `entry.attempts + 1`; returns its next attempt time, `nil` for a dead letter.
    private func recordFailure(
        _ entry: OutboxEntry, status: Int?, error: String, retryAfter: Duration?, at now: Int
    ) async throws -> Int? {
        let attempt = entry.attempts + 1
        let next = retrySchedule.delay(afterFailedAttempt: attempt).map { delay in
            // At least a second later: the store counts whole seconds, and a row due now would spin the lane.
            now + max(1, Self.seconds(retryAfter ?? delay))
        }
        try await store.markFailed(
            destination: destination, seq: entry.event.seq, attempt: attempt, status: status, error: error,
            nextAttemptAt: next, at: now)
        update {
            $0.failed += 1
            $0.lastError = error
        }
        var metadata: Logger.Metadata = ["event": "\(entry.event.id)", "attempt": "\(attempt)", "error": "\(error)"]
        if let status { metadata["status"] = "\(status)" }
        if let next {
            metadata["next_attempt_at"] = "\(next)"
            logger.debug("Delivery failed; will retry", metadata: metadata)
        } else {
            logger.error("Delivery failed for the last time; kept as a dead letter", metadata: metadata)
        }
        return next
    }

    /// Sleeps for `duration`, ending early on stop, cancellation, or (with a `token`) an outbox notification.
    private func pause(for duration: Duration, token: UInt64?) async {
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

    private func update(_ change: (inout LaneStatus) -> Void) {
        current.withLock { change(&$0) }
    }

    private func currentTime() -> Int {
        Int(clock.now().timeIntervalSince1970)
    }

    /// Whole seconds, rounded up.
    static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}
