import Foundation
import IntercomSimulator
import Synchronization

/// Where a test clock keeps its time: its own counter, or a simulator's clock (so the daemon's client and the
/// simulated Intercom agree on "now" and both move when the test advances time).
public struct TestTime: Sendable {
    private let read: @Sendable () -> Double
    private let move: @Sendable (Double) -> Void

    /// A time of its own, starting at `start` (default 2025-11-21T09:20:00Z).
    public static func own(_ start: Date = Date(timeIntervalSince1970: 1_763_716_800)) -> TestTime {
        let now = Mutex(start.timeIntervalSince1970)
        return TestTime(read: { now.withLock { $0 } }, move: { seconds in now.withLock { $0 += seconds } })
    }

    /// The simulator's clock.
    public static func simulator(_ clock: SimulatorClock) -> TestTime {
        TestTime(read: { clock.now() }, move: { clock.advance(by: $0) })
    }

    /// Now, in Unix seconds.
    public func now() -> Double { read() }

    /// Moves the time forward.
    public func advance(by seconds: Double) { move(seconds) }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
