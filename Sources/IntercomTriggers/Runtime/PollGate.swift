import Synchronization

/// Bounds how many of the workspaces' page requests are in flight at once (``GatedObservationSource``). Waiters
/// enter in arrival order, so a workspace whose turn came is not overtaken (a backfill's next page queues behind
/// the polls that came first); a cancelled waiter leaves the line at once.
public final class PollGate: Sendable {
    /// A place taken by ``enter()``; ``leave()`` gives it to the next waiter.
    public struct Permit: Sendable {
        let gate: PollGate
        /// Gives the place back. Call once.
        public func leave() { gate.release() }
    }

    private struct State {
        var active = 0
        var nextTicket = 0
        /// Waiting cycles in arrival order, by ticket.
        var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    /// The most places taken at once.
    public let limit: Int
    private let state = Mutex(State())

    /// A gate with `limit` places (at least one).
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Places taken now.
    public var active: Int { state.withLock { $0.active } }
    /// Callers waiting for a place.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Takes a place, waiting for one when all `limit` are taken; throws `CancellationError` when cancelled first.
    public func enter() async throws -> Permit {
        let ticket: Int? = state.withLock { state in
            if state.active < limit, state.waiters.isEmpty {
                state.active += 1
                return nil
            }
            state.nextTicket += 1
            return state.nextTicket
        }
        guard let ticket else { return Permit(gate: self) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Decided again under the lock: a place may have come free since the ticket was drawn.
                let admitted: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    if state.active < limit, state.waiters.isEmpty {
                        state.active += 1
                        return true
                    }
                    state.waiters.append((ticket, continuation))
                    return nil
                }
                switch admitted {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let removed = state.withLock { state in
                state.waiters.firstIndex { $0.ticket == ticket }.map { state.waiters.remove(at: $0).continuation }
            }
            removed?.resume(throwing: CancellationError())
        }
        return Permit(gate: self)
    }

    /// Hands the place to the first waiter, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard !state.waiters.isEmpty else {
                state.active = max(0, state.active - 1)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
