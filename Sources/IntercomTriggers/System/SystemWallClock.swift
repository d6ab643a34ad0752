import Foundation

/// The real clock: `Date()` for now, `Task.sleep` (monotonic) for waiting.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: duration)
    }

    /// Sleeps until the grid point nearest to `duration` from now (measured from one origin for the process, so
    /// that every sleeper on the same grid shares its instants); a sleep shorter than the grid is exact.
    public func sleep(for duration: Duration, coalescingOn grid: Duration) async throws {
        guard grid > .zero, duration >= grid else { return try await sleep(for: duration) }
        try await Task.sleep(until: Self.deadline(after: duration, coalescingOn: grid, from: .now), clock: .continuous)
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
