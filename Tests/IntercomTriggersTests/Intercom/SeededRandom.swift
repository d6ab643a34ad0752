import IntercomSimulator
import Synchronization

/// A deterministic source of uniform numbers in `0..<1` (the simulator's SplitMix64), for jitter in tests.
final class SeededRandom: Sendable {
    private let generator: Mutex<SeededGenerator>

    init(seed: UInt64) { generator = Mutex(SeededGenerator(seed: seed)) }

    func next() -> Double {
        let value = generator.withLock { $0.next() }
        return Double(value >> 11) / Double(1 << 53)
    }

    /// A closure for `IntercomClient(random:)`.
    var source: @Sendable () -> Double { { self.next() } }
}
