import Synchronization

/// Wakes delivery lanes when the poller has committed new outbox rows.
///
/// An event count: ``notify()`` bumps a generation and wakes every waiter; a lane takes ``generation``
/// *before* it reads the outbox and waits ``wait(since:)`` that value, so a notify that lands between the
/// read and the wait is never lost — the wait returns at once.
public final class OutboxSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Creates a signal with no notifications yet.
    public init() {}

    /// How many notifications there have been: the token for ``wait(since:)``.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// How many waits are suspended now (for tests).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Wakes every current waiter, and every later `wait(since:)` with an older generation.
    public func notify() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until the generation differs from `generation` (at once when it already does) or the
    /// calling task is cancelled; never throws.
    ///
    /// - Returns: the generation when it returned.
    @discardableResult
    public func wait(since generation: UInt64) async -> UInt64 {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    // Checked under the lock: a cancel handler that ran before registration found nothing.
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        return self.generation
    }
}
