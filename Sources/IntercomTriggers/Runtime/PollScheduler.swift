import Logging
import ServiceLifecycle
import Synchronization

/// Runs every workspace's poll loop, each in its own child task: one workspace's failures, backoff, slow pages or
/// long backfill never hold up another's polls beyond the ``PollGate`` they share, which bounds how many page
/// requests are in flight at once (``GatedObservationSource``). The loops start spread over the interval (each
/// ``PollerService`` waits its `firstDelay`).
///
/// A reload changes the set in place (``apply(removing:adding:)``): a removed workspace's loop is cancelled (the
/// page in hand is committed or not at all) and its client shut down; an added one starts at once; a changed one
/// is both, the new loop starting once the old one has ended. The other workspaces go on untouched.
public final class PollScheduler: Service, CustomStringConvertible {
    private struct Running {
        var runtime: WorkspaceRuntime
        /// Notified to stop the loop.
        var stop = OutboxSignal()
        /// Succeeds when the loop has ended and the client is shut down.
        var ended = ReadyValue<Void>()
    }

    private struct State {
        var running: [String: Running] = [:]
        /// Names in configuration order.
        var order: [String] = []
    }

    /// Admits a bounded number of page requests at once.
    public let gate: PollGate
    /// The loops' idle polls, written in one transaction every ``flushInterval``.
    public let idleRecords: IdlePollRecords
    /// Which workspaces have resets waiting, read from the store when a look every ``flushInterval`` finds that
    /// another process wrote to it.
    public let resetWatch: ResetWatch
    /// How often noted idle polls are written (a `status` shows an idle poll at most this much later) and other
    /// processes' writes looked for (a `reset` is applied at most this much later than at the workspace's next
    /// cycle; a `replay` or `enable` reaches the lanes at most this much later). At most: when the polls wake the
    /// timer thread anyway, the flush comes along from three quarters of this on, at no wake-up of its own (with
    /// polls every second, every 2 s still).
    public static let flushInterval: Duration = .seconds(2)
    private let store: StateStore
    private let clock: any WallClock
    private let state = Mutex(State())
    private let starts: AsyncStream<(Running, predecessor: ReadyValue<Void>?)>
    private let startContinuation: AsyncStream<(Running, predecessor: ReadyValue<Void>?)>.Continuation
    private let telemetry: DaemonTelemetry
    private let logger: Logger
    /// Called after a look found another process's writes (``lookForOutsideWrites()``).
    private let onOutsideWrite: @Sendable () -> Void
    /// The store's ``StateStore/outsideWriteVersion()`` at the last look; nil before the first.
    private let outsideWrites = Mutex<Int?>(nil)

    /// A scheduler that starts `workspaces`' loops when it runs, writing the idle polls they note in `idleRecords`
    /// to `store`.
    public init(
        workspaces: [WorkspaceRuntime], gate: PollGate, idleRecords: IdlePollRecords, resetWatch: ResetWatch,
        store: StateStore, clock: any WallClock, telemetry: DaemonTelemetry, logger: Logger,
        onOutsideWrite: @escaping @Sendable () -> Void = {}
    ) {
        self.onOutsideWrite = onOutsideWrite
        self.resetWatch = resetWatch
        self.gate = gate
        self.idleRecords = idleRecords
        self.store = store
        self.clock = clock
        self.telemetry = telemetry
        self.logger = logger
        (starts, startContinuation) = AsyncStream.makeStream()
        for runtime in workspaces { start(runtime, after: nil) }
    }

    public var description: String { "PollScheduler" }

    /// The workspaces being polled, in configuration order.
    public var workspaces: [WorkspaceRuntime] {
        state.withLock { state in state.order.compactMap { state.running[$0]?.runtime } }
    }

    /// The workspace named `name`, if polled.
    public func workspace(named name: String) -> WorkspaceRuntime? {
        state.withLock { $0.running[name]?.runtime }
    }

    /// Stops the loops of `removing` (by name) and starts `adding`; a name in both restarts with the new runtime
    /// once its old loop has ended.
    public func apply(removing: [String], adding: [WorkspaceRuntime]) {
        var ended: [String: ReadyValue<Void>] = [:]
        for name in removing {
            guard
                let running = state.withLock({ state -> Running? in
                    state.order.removeAll { $0 == name }
                    return state.running.removeValue(forKey: name)
                })
            else { continue }
            running.stop.notify()
            ended[name] = running.ended
            if !adding.contains(where: { $0.name == name }) { telemetry.workspaceRemoved(name) }
        }
        for runtime in adding { start(runtime, after: ended[runtime.name]) }
        // In the configuration's order, which is by name.
        state.withLock { $0.order.sort() }
    }

    private func start(_ runtime: WorkspaceRuntime, after predecessor: ReadyValue<Void>?) {
        let running = Running(runtime: runtime)
        state.withLock { state in
            if state.running[runtime.name] == nil { state.order.append(runtime.name) }
            state.running[runtime.name] = running
        }
        startContinuation.yield((running, predecessor))
    }

    /// Runs the loops until graceful shutdown (or cancellation), then stops them all, shuts their clients down and
    /// writes the idle polls noted last.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask(executorPreference: CurlDriver.shared) {
                    while true {
                        do {
                            try await self.clock.sleep(
                                atMost: Self.flushInterval, atLeast: Self.flushInterval * 3 / 4)
                        } catch {
                            return
                        }
                        await self.flushIdleRecords()
                        await self.lookForOutsideWrites()
                    }
                }
                for await (running, predecessor) in self.starts {
                    // On the HTTP thread, as on an event loop: an idle poll then wakes no other thread (CurlDriver).
                    group.addTask(executorPreference: CurlDriver.shared) {
                        await self.serve(running, after: predecessor)
                    }
                }
            }
        }
        startContinuation.finish()
        await flushIdleRecords()
    }

    /// Writes the idle polls noted so far; a failure costs only `status` those records.
    func flushIdleRecords() async {
        let records = idleRecords.take()
        guard !records.isEmpty else { return }
        do {
            try await store.recordPolls(records)
        } catch {
            logger.warning("could not record idle polls for status", metadata: ["error": "\(error)"])
        }
    }

    /// When another process wrote to the store since the last look (or at the first), looks for resets and calls
    /// `onOutsideWrite` (the lanes look at the outbox: a `replay` or `enable`); otherwise reads nothing more. A
    /// failure only delays the look.
    func lookForOutsideWrites() async {
        do {
            let version = try await store.outsideWriteVersion()
            let last = outsideWrites.withLock { last in
                defer { last = version }
                return last
            }
            guard last != version else { return }
        } catch {
            logger.warning("could not look for other processes' writes", metadata: ["error": "\(error)"])
            return
        }
        await lookForResets()
        onOutsideWrite()
    }

    /// Notes the workspaces with resets waiting in ``resetWatch``; a failure only delays them to a later look.
    func lookForResets() async {
        do {
            resetWatch.note(try await store.workspacesWithPendingResets())
        } catch {
            logger.warning("could not look for reset requests", metadata: ["error": "\(error)"])
        }
    }

    /// One workspace's loop, until it is stopped or cancelled; then its client is shut down.
    private func serve(_ running: Running, after predecessor: ReadyValue<Void>?) async {
        let poller = running.runtime.poller
        defer {
            telemetry.finished(poller.loopName)
            running.ended.succeed(())
        }
        _ = try? await predecessor?.wait()
        await withTaskGroup(of: Void.self) { loop in
            loop.addTask {
                do {
                    try await poller.loop()
                } catch {
                    // Cancelled (stopped, removed or shutting down): the page in hand was committed or not at all.
                }
            }
            loop.addTask { await running.stop.wait(since: 0) }
            await loop.next()
            loop.cancelAll()
        }
        await running.runtime.client.shutdown()
    }
}
