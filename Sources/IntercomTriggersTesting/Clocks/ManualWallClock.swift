import Foundation
import IntercomSimulator
import IntercomTriggers
import Synchronization

/// A `WallClock` whose time moves only when a test calls ``advance(by:)``; sleepers wake once their deadline
/// has passed (or when cancelled), so nothing really waits. Over a simulator's clock (``init(simulator:)``) a
/// running daemon polls once, then waits for the test, and the simulated Intercom moves with it.
public final class ManualWallClock: WallClock {
    private struct Sleeper {
        var deadline: Double
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let time: TestTime
    private let sleepers = Mutex<(nextID: Int, waiting: [Int: Sleeper])>((0, [:]))

    /// A clock of its own, starting at `now`.
    public init(now: Date = Date(timeIntervalSince1970: 1_763_716_800)) { time = .own(now) }

    /// A clock over a simulator's time.
    public init(simulator: SimulatorClock) { time = .simulator(simulator) }

    public func now() -> Date { Date(timeIntervalSince1970: time.now()) }

    /// The current time in Unix seconds.
    public var seconds: Int { Int(time.now()) }

    /// How many sleeps are suspended now.
    public var sleeperCount: Int { sleepers.withLock { $0.waiting.count } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        guard duration > .zero else { return }
        let id = sleepers.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = sleepers.withLock { state -> (any Error)?? in
                    if Task.isCancelled { return .some(CancellationError()) }
                    let now = time.now()
                    let deadline = now + TestTime.seconds(duration)
                    if deadline <= now { return .some(nil) }
                    state.waiting[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .none
                }
                switch outcome {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            sleepers.withLock { $0.waiting.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by seconds: Double) {
        let woken = sleepers.withLock { state -> [Sleeper] in
            time.advance(by: seconds)
            let now = time.now()
            let due = state.waiting.filter { $0.value.deadline <= now }
            for id in due.keys { state.waiting.removeValue(forKey: id) }
            return Array(due.values)
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }
}
