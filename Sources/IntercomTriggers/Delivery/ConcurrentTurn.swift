import Synchronization

/// The shared state of one concurrent turn: the next row to take and the rows settled so far.
final class ConcurrentTurn: Sendable {
    private struct State {
        var settled: [DeliveryLane.Settled] = []
        var next = 0
        let count: Int
        /// Set by an outcome that pauses or stops the lane: no further row is taken.
        var halted = false
        /// Every worker has returned: nothing more will be noted, so the writer writes without gathering.
        var workersDone = false
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(count: count))
    }

    /// The rows settled so far, in the order their outcomes arrived.
    var settled: [DeliveryLane.Settled] { state.withLock { $0.settled } }

    /// The next row's index, `nil` once every row is taken or the turn is halted.
    func take() -> Int? {
        state.withLock { state in
            guard !state.halted, state.next < state.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    /// Whether every worker has returned.
    var workersDone: Bool { state.withLock { $0.workersDone } }

    func markWorkersDone() {
        state.withLock { $0.workersDone = true }
    }

    func record(_ rows: [DeliveryLane.Settled]) {
        state.withLock { state in
            state.settled += rows
            for row in rows {
                switch row.outcome {
                case .throttled, .disable, .stopLane: state.halted = true
                case .delivered, .failed: break
                }
            }
        }
    }
}
