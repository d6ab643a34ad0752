import Synchronization

@testable import IntercomTriggers

/// An `EventSink` that answers from a script and records every batch; while ``hold()`` is in effect it
/// blocks after recording a batch until ``release()``.
final class FakeSink: EventSink {
    typealias Script = @Sendable (OutboxEntry) -> DeliveryOutcome

    private let script: Script
    private let calls = Mutex<[(entries: [OutboxEntry], attemptAt: Int)]>([])
    private let held = Mutex(false)
    private let gate = OutboxSignal()

    init(script: @escaping Script = { _ in .delivered }) { self.script = script }

    func deliver(_ entries: [OutboxEntry], attemptAt: Int) async -> [DeliveryOutcome] {
        let token = gate.generation
        calls.withLock { $0.append((entries, attemptAt)) }
        if held.withLock({ $0 }) { await gate.wait(since: token) }
        return entries.map(script)
    }

    /// Makes later batches block until ``release()``.
    func hold() { held.withLock { $0 = true } }

    /// Lets every blocked and later batch through.
    func release() {
        held.withLock { $0 = false }
        gate.notify()
    }

    /// Every batch so far, as event seqs.
    var batches: [[Int64]] { calls.withLock { $0.map { $0.entries.map(\.event.seq) } } }

    /// Every entry handed over so far, in order.
    var entries: [OutboxEntry] { calls.withLock { $0.flatMap(\.entries) } }
}
