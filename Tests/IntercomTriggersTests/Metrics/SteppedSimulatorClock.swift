import Foundation
import IntercomSimulator
import Synchronization

@testable import IntercomTriggers

/// A `WallClock` that reads the simulator's pinned clock and whose sleepers wake only when a test calls
/// ``advance(by:)`` (which moves the simulator too): a running daemon polls once, then waits for the test.
final class SteppedSimulatorClock: WallClock {
    private struct Sleeper {
        var deadline: Double
        var continuation: CheckedContinuation<Void, any Error>
    }

    let simulator: SimulatorClock
    private let sleepers = Mutex<(nextID: Int, waiting: [Int: Sleeper])>((0, [:]))

    init(_ simulator: SimulatorClock) { self.simulator = simulator }

    func now() -> Date { Date(timeIntervalSince1970: simulator.now()) }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        guard duration > .zero else { return }
        let id = sleepers.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = sleepers.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiting[id] = Sleeper(
                        deadline: simulator.now() + RetryPolicy.seconds(duration), continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            sleepers.withLock { $0.waiting.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the simulator's time forward and wakes every sleeper whose deadline has come.
    func advance(by seconds: Double) {
        simulator.advance(by: seconds)
        let now = simulator.now()
        let woken = sleepers.withLock { state -> [Sleeper] in
            let due = state.waiting.filter { $0.value.deadline <= now }
            for id in due.keys { state.waiting.removeValue(forKey: id) }
            return Array(due.values)
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }
}
