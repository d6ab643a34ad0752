import Foundation
import Synchronization

@testable import IntercomTriggers

/// A `WallClock` that never really sleeps: `sleep` records the duration and moves `now` forward.
final class FakeWallClock: WallClock {
    private let state: Mutex<(now: Date, sleeps: [Duration])>

    init(now: Date = Date(timeIntervalSince1970: 1_763_716_800)) { state = Mutex((now, [])) }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append(duration)
            $0.now = $0.now.addingTimeInterval(RetryPolicy.seconds(duration))
        }
        await Task.yield()
    }

    /// Every duration slept, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Total time slept, in seconds.
    var totalSlept: Double { sleeps.map(RetryPolicy.seconds).reduce(0, +) }

    func advance(by seconds: Double) { state.withLock { $0.now = $0.now.addingTimeInterval(seconds) } }
}
