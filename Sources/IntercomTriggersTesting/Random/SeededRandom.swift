import Foundation
import IntercomSimulator
import Synchronization

/// The simulator's SplitMix64 generator behind a lock, for reproducible test schedules: a
/// `RandomNumberGenerator` for `Int.random(in:using:)`, uniform numbers in `0..<1` for jitter, and a seed
/// taken from the environment so a failing run can be repeated (print the seed, rerun with it).
public final class SeededRandom: RandomNumberGenerator, Sendable {
    private let generator: Mutex<SeededGenerator>

    public init(seed: UInt64) { generator = Mutex(SeededGenerator(seed: seed)) }

    public func next() -> UInt64 { generator.withLock { $0.next() } }

    /// A uniform number in `0..<1`.
    public func next() -> Double { Double((next() as UInt64) >> 11) / Double(1 << 53) }

    /// A closure for `IntercomClient(random:)`.
    public var source: @Sendable () -> Double { { self.next() } }

    /// The seed in environment variable `name` if set, otherwise a random one.
    public static func seed(fromEnvironment name: String) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment[name], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 0...UInt64(UInt32.max))
    }
}
