import Foundation
import IntercomSimulator
import IntercomTriggers
import Synchronization

/// A `WallClock` that never really sleeps: `sleep` records the duration and moves the time forward at once.
/// Over a simulator's clock (``init(simulator:)``) rate-limit windows and backoffs pass instantly for both the
/// client and the simulated Intercom.
public final class InstantWallClock: WallClock {
    private let time: TestTime
    private let slept = Mutex<[Duration]>([])
    private let grids = Mutex<[Duration]>([])

    /// A clock of its own, starting at `now`.
    public init(now: Date = Date(timeIntervalSince1970: 1_763_716_800)) { time = .own(now) }

    /// A clock over a simulator's time.
    public init(simulator: SimulatorClock) { time = .simulator(simulator) }

    public func now() -> Date { Date(timeIntervalSince1970: time.now()) }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        slept.withLock { $0.append(duration) }
        time.advance(by: TestTime.seconds(duration))
        await Task.yield()
    }

    /// Sleeps exactly `duration` (as ``sleep(for:)`` does), noting the grid it was asked to coalesce on.
    public func sleep(for duration: Duration, coalescingOn grid: Duration) async throws {
        grids.withLock { $0.append(grid) }
        try await sleep(for: duration)
    }

    /// The grids of every coalescing sleep, in order.
    public var coalescingGrids: [Duration] { grids.withLock { $0 } }

    /// Every duration slept, in order.
    public var sleeps: [Duration] { slept.withLock { $0 } }

    /// Total time slept, in seconds.
    public var totalSlept: Double { sleeps.map(TestTime.seconds).reduce(0, +) }

    /// Moves the time forward without a sleep.
    public func advance(by seconds: Double) { time.advance(by: seconds) }
}
