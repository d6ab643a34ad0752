import Synchronization

/// The shared state of one concurrent turn: the next row to take and each row's outcome.
final class ConcurrentTurn: Sendable {
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
