import Foundation

/// The real clock: `Date()` for now; waits are monotonic and timed by the process's I/O thread
/// (``CurlDriver/sleep(until:earliest:)``, which costs a poll loop fewer thread wake-ups than `Task.sleep`).
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await CurlDriver.shared.sleep(until: .now + min(duration, Self.longestSleep))
    }

    /// Timed by the driver's thread, which takes the sleeper along when it wakes after `atLeast` for anything else.
    public func sleep(atMost: Duration, atLeast: Duration) async throws {
        guard atMost > .zero else {
            try Task.checkCancellation()
            return
        }
        let now = ContinuousClock.now
        try await CurlDriver.shared.sleep(
            until: now + min(atMost, Self.longestSleep),
            earliest: now + min(max(atLeast, .zero), atMost, Self.longestSleep))
    }

    /// The longest single wait (a longer one returns early): far past any interval or backoff, and a deadline that
    /// cannot overflow.
    static let longestSleep: Duration = .seconds(366 * 86_400)

    /// Sleeps until the grid point nearest to `duration` from now (measured from one origin for the process, so
    /// that every sleeper on the same grid shares its instants); a sleep shorter than the grid is exact.
    public func sleep(for duration: Duration, coalescingOn grid: Duration) async throws {
        guard grid > .zero, duration >= grid else { return try await sleep(for: duration) }
        try await CurlDriver.shared.sleep(
            until: Self.deadline(after: min(duration, Self.longestSleep), coalescingOn: grid, from: .now))
    }

    /// The grid point nearest to `now + duration`.
    static func deadline(after duration: Duration, coalescingOn grid: Duration, from now: ContinuousClock.Instant)
        -> ContinuousClock.Instant
    {
        origin + nearest(to: origin.duration(to: now + duration), on: grid)
    }

    /// The process's grid origin.
    static let origin = ContinuousClock.now

    /// The multiple of `grid` nearest to `offset` (a tie goes up), in whole nanoseconds; both positive.
    static func nearest(to offset: Duration, on grid: Duration) -> Duration {
        let (offset, grid) = (nanoseconds(offset), max(1, nanoseconds(grid)))
        return .nanoseconds(offset.addingSaturated(grid / 2) / grid * grid)
    }

    private static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds).multipliedSaturated(by: 1_000_000_000).addingSaturated(Int(attoseconds / 1_000_000_000))
    }
}
