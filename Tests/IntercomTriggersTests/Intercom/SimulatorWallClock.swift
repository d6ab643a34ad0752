import Foundation
import IntercomSimulator

@testable import IntercomTriggers

/// A `WallClock` that reads the simulator's clock and, instead of sleeping, moves it forward, so
/// rate-limit windows and backoffs pass instantly for both client and simulator.
struct SimulatorWallClock: WallClock {
    let clock: SimulatorClock

    func now() -> Date { Date(timeIntervalSince1970: clock.now()) }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        clock.advance(by: RetryPolicy.seconds(duration))
        await Task.yield()
    }
}
