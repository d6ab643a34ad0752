import CCurl
import Foundation
import Synchronization

/// One libcurl multi handle and the one thread that drives it: every transfer of a ``CurlTransport`` runs
/// here, so connections (and HTTP/2 streams) are shared by every caller of the driver.
///
/// The thread loops over `curl_multi_perform`, hands each finished transfer back to its caller, and sleeps in
/// `curl_multi_poll`; callers queue new transfers and cancellations under a lock and wake it with
/// `curl_multi_wakeup`. Only this thread adds, removes or completes transfers, so each is completed once. It
/// never runs on Swift's cooperative pool: waiting for the network blocks nothing else.
///
/// The thread is also the process's timer (``sleep(until:earliest:)``, which ``SystemWallClock`` waits on): its poll
/// ends at the earliest deadline, and it resumes the sleeper itself. And it is a task executor: the poll loops run on
/// it (``PollScheduler``), as on an event loop, so an idle poll — wake at the deadline, send a request, read its
/// answer, send the next, sleep — stays on this one thread. On Swift's pool the same poll woke a thread at every
/// step (dispatch's timer thread and a worker per `Task.sleep`, the driver and a worker per request), and those
/// wake-ups were most of its cost. What a poll does besides (store reads and commits) runs on the store's own
/// threads, as before. Only ``shared`` is used as an executor (it never stops).
///
/// Easy handles are kept after their transfer and reused (`curl_easy_reset` keeps their DNS and TLS session
/// caches); the multi handle's connection cache keeps connections alive per host between transfers.
final class CurlDriver: TaskExecutor, Sendable {
    /// The process's driver: it lives as long as the process, as a connection pool should.
    static let shared = CurlDriver()

    /// How long the loop sleeps at most when neither libcurl nor a sleeper has a timer due (a wake-up ends the
    /// sleep at once).
    private static let idlePollMilliseconds: Int32 = 10_000
    /// The thread's name as `top -H`, `ps -L` and `perf` show it (Linux keeps 15 bytes).
    static let threadName = "triggerd-curl"
    /// How many rounds of jobs one turn runs at most before it serves libcurl and the timers.
    static let jobRoundsPerTurn = 8

    private struct Inbox: ~Copyable {
        /// Jobs of tasks that prefer this executor, in order.
        var jobs: [UnownedJob] = []
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        /// The thread is in (or on its way into) `curl_multi_poll` with nothing queued: new work must wake it.
        /// While it runs it drains the inbox before sleeping, so queuing alone is enough (saving a wake-up's
        /// write and read per request under load).
        var sleeping = false
        /// When a sleeping thread wakes at the latest: a timer due earlier must wake it.
        var wakesAt = ContinuousClock.Instant.now
        var timers = DeadlineQueue<CheckedContinuation<Void, any Error>>()
        var nextTimer: UInt64 = 0
    }

    private let multi: CurlHandle
    private let inbox = Mutex(Inbox())
    /// Easy handles not in use, for the next transfers.
    private let idle = Mutex<[CurlHandle]>([])
    /// Easy handles made so far (reuse keeps this at the most transfers ever in flight at once).
    private let made = Atomic(0)
    /// Resumed by the thread when it has stopped (tests' own drivers only).
    private let stopped = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init() {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = CurlHandle(multi)
        // Many transfers to one https host share a connection where the server speaks HTTP/2.
        ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        // Enough idle connections for every lane's concurrency to stay warm (libcurl's default is small).
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 1_024)
        Thread { [self] in run() }.start()
    }

    /// An easy handle for a new transfer: a reused one, reset, or a new one.
    func takeHandle() -> CurlHandle {
        if let handle = idle.withLock({ $0.popLast() }) {
            curl_easy_reset(handle.pointer)
            return handle
        }
        guard let easy = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        made.add(1, ordering: .relaxed)
        return CurlHandle(easy)
    }

    /// Easy handles made so far.
    var handlesMade: Int { made.load(ordering: .relaxed) }

    private let turnCount = Atomic(0)

    /// How many turns the thread has taken (each serves libcurl and the timers once): for tests.
    var turns: Int { turnCount.load(ordering: .relaxed) }

    /// The driving thread (`pthread_self()`), once it runs.
    private let thread = Atomic<UInt>(0)

    /// Whether the caller runs on the driving thread.
    var isCurrentThread: Bool { thread.load(ordering: .acquiring) == pthread_self() }

    /// Keeps `handle`, no longer in any transfer, for the next one.
    func recycle(_ handle: CurlHandle) {
        idle.withLock { $0.append(handle) }
    }

    /// Queues `transfer`; the thread completes it (or fails it, if the driver has stopped).
    func start(_ transfer: CurlTransfer) {
        let accepted = post { inbox in
            guard !inbox.stopping else { return false }
            inbox.added.append(transfer)
            return true
        }
        if !accepted {
            curl_easy_cleanup(transfer.easy.pointer)
            transfer.complete(with: .failure(HTTPTransportError.notConnected("the HTTP client has stopped")))
        }
    }

    /// Asks the thread to drop `transfer` (it fails with `CancellationError`) if it has not finished.
    func cancel(_ transfer: CurlTransfer) {
        post { inbox in
            // A stopping thread ends every transfer itself (and its multi handle may be gone).
            guard !inbox.stopping else { return false }
            inbox.cancelled.append(transfer)
            return true
        }
    }

    /// Runs `job` on the thread, after what it is doing now.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        post { inbox in
            inbox.jobs.append(job)
            return true
        }
    }

    /// Changes the inbox under its lock (`change` says whether it queued anything) and wakes the thread if it
    /// sleeps, so that it sees the change. Returns what `change` said.
    @discardableResult
    private func post(_ change: (inout Inbox) -> Bool) -> Bool {
        let (queued, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard change(&inbox) else { return (false, false) }
            defer { inbox.sleeping = false }
            return (true, inbox.sleeping)
        }
        if wake { curl_multi_wakeup(multi.pointer) }
        return queued
    }

    /// Returns at `deadline` (within a millisecond or so), or earlier but not before `earliest` when the thread
    /// wakes for something else meanwhile (``DeadlineQueue``); throws `CancellationError` when the task is cancelled
    /// first, or the driver stops.
    func sleep(until deadline: ContinuousClock.Instant, earliest: ContinuousClock.Instant? = nil) async throws {
        let id = inbox.withLock { inbox in
            defer { inbox.nextTimer &+= 1 }
            return inbox.nextTimer
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Decided under the lock: a cancellation handler that ran before this finds nothing to remove, but
                // the task is cancelled by then.
                let (refused, wake) = inbox.withLock { inbox -> (Bool, Bool) in
                    if Task.isCancelled || inbox.stopping { return (true, false) }
                    inbox.timers.insert(.init(id: id, deadline: deadline, earliest: earliest, waiter: continuation))
                    guard inbox.sleeping, deadline < inbox.wakesAt else { return (false, false) }
                    inbox.sleeping = false
                    return (false, true)
                }
                if refused { continuation.resume(throwing: CancellationError()) }
                if wake { curl_multi_wakeup(multi.pointer) }
            }
        } onCancel: {
            inbox.withLock { $0.timers.remove(id: id) }?.waiter.resume(throwing: CancellationError())
        }
    }

    /// Stops the thread: transfers in flight fail, later ones are refused. For drivers a test made.
    func stop() async {
        let first = inbox.withLock { inbox in
            defer { inbox.stopping = true }
            return !inbox.stopping
        }
        if first { curl_multi_wakeup(multi.pointer) }
        await withCheckedContinuation { continuation in
            let resumeNow = stopped.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        // Only now: the thread has left the multi handle, and nobody else wakes it once it is stopping.
        if first { curl_multi_cleanup(multi.pointer) }
    }

    // MARK: - The driving thread

    private func run() {
        thread.store(pthread_self(), ordering: .releasing)
        // Named from the thread itself: Foundation's `Thread.name`, set before `start()`, never reached the kernel
        // here, so `top -H` and `perf` showed the dispatch worker's name it inherited.
        _ = ccurl_name_this_thread(Self.threadName)
        var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        let executor = asUnownedTaskExecutor()
        var jobs: [UnownedJob] = []
        while true {
            turnCount.add(1, ordering: .relaxed)
            // Jobs first: what they start (transfers, timers) is queued for the rest of this turn. The jobs they
            // queue in turn (an actor hop, a continuation resumed here) run in the same turn, up to a bound that
            // keeps transfers and timers served: a poll's dozen hops then cost one turn of libcurl and timers, not
            // a dozen.
            for _ in 0..<Self.jobRoundsPerTurn {
                inbox.withLock { swap(&jobs, &$0.jobs) }
                guard !jobs.isEmpty else { break }
                for job in jobs { job.runSynchronously(on: executor) }
                jobs.removeAll(keepingCapacity: true)
            }
            let (added, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.added.removeAll(keepingCapacity: true)
                    inbox.cancelled.removeAll(keepingCapacity: true)
                }
                return (inbox.added, inbox.cancelled, inbox.stopping)
            }
            for transfer in added {
                if transfer.isCancelled {
                    finish(transfer, .failure(CancellationError()), removing: false)
                } else {
                    running[transfer.easy.pointer] = transfer
                    curl_multi_add_handle(multi.pointer, transfer.easy.pointer)
                }
            }
            for transfer in cancelled where running[transfer.easy.pointer] === transfer {
                running[transfer.easy.pointer] = nil
                finish(transfer, .failure(CancellationError()), removing: true)
            }
            if stopping {
                for transfer in running.values {
                    finish(transfer, .failure(HTTPTransportError.connection("the HTTP client stopped")), removing: true)
                }
                for timer in inbox.withLock({ $0.timers.takeAll() }) {
                    timer.waiter.resume(throwing: CancellationError())
                }
                close()
                return
            }
            var active: Int32 = 0
            curl_multi_perform(multi.pointer, &active)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi.pointer, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = running.removeValue(forKey: easy)
                else { continue }
                let code = message.pointee.data.result
                finish(transfer, transfer.outcome(of: code), removing: true)
            }
            // Sleep only with nothing queued and no timer due, until the next timer at the latest; from here on,
            // whoever queues work or an earlier timer wakes the thread (a wake-up sent before the poll starts still
            // ends it at once).
            let now = ContinuousClock.now
            let (due, idle, wait) = inbox.withLock {
                inbox -> ([DeadlineQueue<CheckedContinuation<Void, any Error>>.Entry], Bool, Int32) in
                let due = inbox.timers.takeDue(at: now)
                inbox.sleeping =
                    due.isEmpty && inbox.jobs.isEmpty && inbox.added.isEmpty && inbox.cancelled.isEmpty
                    && !inbox.stopping
                let wait = inbox.timers.milliseconds(from: now, limit: Self.idlePollMilliseconds)
                inbox.wakesAt = now + .milliseconds(wait)
                return (due, inbox.sleeping, wait)
            }
            for timer in due { timer.waiter.resume() }
            guard idle else { continue }
            curl_multi_poll(multi.pointer, nil, 0, wait, nil)
            inbox.withLock { $0.sleeping = false }
        }
    }

    /// Takes `transfer` out of the multi handle, hands its outcome to the caller and keeps its easy handle.
    private func finish(_ transfer: CurlTransfer, _ outcome: Result<HTTPResponse, any Error>, removing: Bool) {
        if removing { curl_multi_remove_handle(multi.pointer, transfer.easy.pointer) }
        // The handle first: a caller resumed with this outcome may start its next request at once.
        recycle(transfer.easy)
        transfer.complete(with: outcome)
    }

    private func close() {
        for handle in idle.withLock({ handles in
            defer { handles.removeAll() }
            return handles
        }) {
            curl_easy_cleanup(handle.pointer)
        }
        let waiters = stopped.withLock { state in
            state.done = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A libcurl handle (easy or multi) passed between threads; the driver's rules say who may use it when.
struct CurlHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}
