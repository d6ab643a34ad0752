import Synchronization

/// Decides, per API request, which fault (if any) applies: first a queued `ForcedFault`, otherwise random
/// draws against `FaultSettings` from a seeded generator.
final class FaultInjector: Sendable {
    /// What happens to one request.
    struct Decision: Sendable, Equatable {
        /// Answer with this status instead of asking the workspace.
        var status: Int?
        /// Cut the body in half.
        var truncate: Bool
        /// Wait this long before answering.
        var latency: Duration

        static let none = Decision(status: nil, truncate: false, latency: .zero)
    }

    private struct State {
        var settings: FaultSettings
        var generator: SeededGenerator
        var forced: [ForcedFault]
    }

    /// The statuses a random server error picks from, with equal weight.
    static let serverErrorStatuses = [500, 502, 503, 504]

    private let state: Mutex<State>

    init(settings: FaultSettings, seed: UInt64) {
        state = Mutex(State(settings: settings, generator: SeededGenerator(seed: seed), forced: []))
    }

    var settings: FaultSettings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    /// Faults still queued for upcoming requests.
    var forced: [ForcedFault] { state.withLock { $0.forced } }

    /// Replaces the queue of forced faults.
    func force(_ faults: [ForcedFault]) { state.withLock { $0.forced = faults } }

    /// Restarts the random sequence from `seed`.
    func reseed(_ seed: UInt64) { state.withLock { $0.generator = SeededGenerator(seed: seed) } }

    /// Draws the decision for the next request. Both random draws are always taken, whatever their outcome,
    /// so one setting does not shift the sequence of the other.
    func next() -> Decision {
        state.withLock { state in
            let latency = state.settings.latency
            if !state.forced.isEmpty {
                switch state.forced.removeFirst() {
                case .status(let code): return Decision(status: code, truncate: false, latency: latency)
                case .truncate: return Decision(status: nil, truncate: true, latency: latency)
                }
            }
            let errorDraw = Double.random(in: 0..<1, using: &state.generator)
            let statusIndex = Int.random(in: 0..<Self.serverErrorStatuses.count, using: &state.generator)
            let truncateDraw = Double.random(in: 0..<1, using: &state.generator)
            let status = errorDraw < state.settings.serverErrorRate ? Self.serverErrorStatuses[statusIndex] : nil
            let truncate = status == nil && truncateDraw < state.settings.truncatedBodyRate
            return Decision(status: status, truncate: truncate, latency: latency)
        }
    }
}
