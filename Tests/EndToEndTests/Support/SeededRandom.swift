import Foundation
import IntercomSimulator

/// The simulator's SplitMix64 generator, for reproducible test schedules: print the seed, rerun with it.
typealias SeededRandom = SeededGenerator

extension SeededGenerator {
    /// The seed in environment variable `name` if set, otherwise a random one.
    static func seed(fromEnvironment name: String) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment[name], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 0...UInt64(UInt32.max))
    }
}
