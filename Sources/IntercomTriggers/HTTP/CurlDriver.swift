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
/// Easy handles are kept after their transfer and reused (`curl_easy_reset` keeps their DNS and TLS session
/// caches); the multi handle's connection cache keeps connections alive per host between transfers.
final class CurlDriver: Sendable {
    /// The process's driver: it lives as long as the process, as a connection pool should.
    static let shared = CurlDriver()

    /// How long the loop sleeps at most when libcurl has no timer due (a wake-up ends the sleep at once).
    private static let idlePollMilliseconds: Int32 = 1_000

    private struct Inbox: ~Copyable {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        /// The thread is in (or on its way into) `curl_multi_poll` with nothing queued: new work must wake it.
        /// While it runs it drains the inbox before sleeping, so queuing alone is enough (saving a wake-up's
        /// write and read per request under load).
        var sleeping = false
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
        let thread = Thread { [self] in run() }
        thread.name = "intercom-triggerd curl"
        thread.start()
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

    /// Keeps `handle`, no longer in any transfer, for the next one.
    func recycle(_ handle: CurlHandle) {
        idle.withLock { $0.append(handle) }
    }

    /// Queues `transfer`; the thread completes it (or fails it, if the driver has stopped).
    func start(_ transfer: CurlTransfer) {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.stopping else { return (false, false) }
            inbox.added.append(transfer)
            defer { inbox.sleeping = false }
            return (true, inbox.sleeping)
        }
        guard accepted else {
            curl_easy_cleanup(transfer.easy.pointer)
            transfer.complete(with: .failure(HTTPTransportError.notConnected("the HTTP client has stopped")))
            return
        }
        if wake { curl_multi_wakeup(multi.pointer) }
    }

    /// Asks the thread to drop `transfer` (it fails with `CancellationError`) if it has not finished.
    func cancel(_ transfer: CurlTransfer) {
        let wake = inbox.withLock { inbox in
            // A stopping thread ends every transfer itself (and its multi handle may be gone).
            guard !inbox.stopping else { return false }
            inbox.cancelled.append(transfer)
            defer { inbox.sleeping = false }
            return inbox.sleeping
        }
        if wake { curl_multi_wakeup(multi.pointer) }
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
        var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
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
            // Sleep only with nothing queued; from here on, whoever queues work wakes the thread (a wake-up
            // sent before the poll starts still ends it at once).
            let idle = inbox.withLock { inbox -> Bool in
                inbox.sleeping = inbox.added.isEmpty && inbox.cancelled.isEmpty && !inbox.stopping
                return inbox.sleeping
            }
            guard idle else { continue }
            curl_multi_poll(multi.pointer, nil, 0, Self.idlePollMilliseconds, nil)
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
