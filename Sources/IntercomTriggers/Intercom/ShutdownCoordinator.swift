import Foundation
import Synchronization

/// The client's lifecycle state: admits requests until shutdown, wakes every wait when it shuts
/// down, and lets `shutdown()` wait for the requests already on the wire.
final class ShutdownCoordinator: Sendable {
    private struct State {
        var isShutDown = false
        var onTheWire = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// Throws `shutDown` once shutdown has begun.
    func checkRunning() throws(IntercomError) {
        if isShutDown { throw .shutDown }
    }

    /// Marks one request as on the wire; throws `shutDown` instead once shutdown has begun.
    func enterWire() throws(IntercomError) {
        let admitted = state.withLock { state in
            guard !state.isShutDown else { return false }
            state.onTheWire += 1
            return true
        }
        if !admitted { throw .shutDown }
    }

    /// Marks one request as off the wire.
    func leaveWire() {
        let drained = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.onTheWire -= 1
            guard state.onTheWire == 0 else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for continuation in drained { continuation.resume() }
    }

    /// Stops admitting, wakes every waiter with `shutDown`, and returns once nothing is on the wire.
    func shutdown() async {
        let waiters = state.withLock { state in
            state.isShutDown = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(throwing: IntercomError.shutDown) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.onTheWire == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Sleeps for `duration` on `clock`, ending early with `shutDown` when the client shuts down
    /// or with `CancellationError` when the calling task is cancelled.
    func sleep(for duration: Duration, on clock: any WallClock) async throws {
        try checkRunning()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(for: duration) }
            group.addTask { try await self.waitForShutdown() }
            // Whichever ends first decides; the other is cancelled when the group is left.
            defer { group.cancelAll() }
            try await group.next()
        }
        try Task.checkCancellation()
        try checkRunning()
    }

    /// Suspends until shutdown (throws `shutDown`) or cancellation (throws `CancellationError`).
    private func waitForShutdown() async throws {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> (any Error)? in
                    if state.isShutDown { return IntercomError.shutDown }
                    if Task.isCancelled { return CancellationError() }
                    state.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(throwing: outcome) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }
}
