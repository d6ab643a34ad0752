import Synchronization

/// The outcomes a lane has received from its sink but not yet written to the store.
///
/// Whoever finishes an attempt appends its outcome; a writer (the attempt's caller, or a concurrent turn's
/// writer) writes. One write runs at a time and takes everything appended until then (a group commit), so under load a few writes carry many outcomes and an
/// idle lane writes each outcome as it completes. While the store refuses the write (disk full, I/O error)
/// the outcomes stay here and ``isHolding`` tells the lane to start no new attempt.
final class LaneLedger: Sendable {
    private struct State {
        var pending: [OutboxAttempt] = []
        var writing = false
        var holding = false
    }

    private let state = Mutex(State())

    /// Whether the last write failed and its outcomes are still held: the lane sends nothing new.
    var isHolding: Bool { state.withLock { $0.holding } }

    /// Whether nothing is waiting to be written and no write is running.
    var isEmpty: Bool { state.withLock { $0.pending.isEmpty && !$0.writing } }

    func append(_ attempts: [OutboxAttempt]) {
        state.withLock { $0.pending.append(contentsOf: attempts) }
    }

    /// Everything appended so far, for the caller to write; `nil` when there is nothing or another caller
    /// is writing (it takes these too before it finishes).
    func beginWrite() -> [OutboxAttempt]? {
        state.withLock { state in
            guard !state.writing, !state.pending.isEmpty else { return nil }
            state.writing = true
            defer { state.pending = [] }
            return state.pending
        }
    }

    /// Ends a write of `batch`. Returns what the caller writes next, still as the one writer: after a
    /// failure (`stored == false`) the batch again, with whatever was appended meanwhile; after a success
    /// whatever was appended meanwhile, or `nil` when nothing was (the write is over).
    func endWrite(_ batch: [OutboxAttempt], stored: Bool) -> [OutboxAttempt]? {
        state.withLock { state in
            state.holding = !stored
            let next = stored ? state.pending : batch + state.pending
            state.pending = []
            state.writing = !next.isEmpty
            return next.isEmpty ? nil : next
        }
    }

    /// Drops every held outcome (the lane gives up at shutdown: those rows stay pending and are sent again
    /// after a restart); returns how many.
    func abandon() -> Int {
        state.withLock { state in
            defer { state = State() }
            return state.pending.count
        }
    }
}
