import Foundation

/// The daemon's notion of wall-clock time, injected everywhere something waits or stamps a time,
/// so tests can advance time instead of sleeping.
public protocol WallClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date

    /// Suspends for `duration`; throws `CancellationError` promptly when the calling task is cancelled.
    func sleep(for duration: Duration) async throws

    /// Suspends for about `duration`: the wake-up may move by up to half of `grid` to the nearest point of a
    /// process-wide grid of that spacing, so that many sleepers wake together (one thread wake-up serves them
    /// all). A zero `grid` is ``sleep(for:)``.
    func sleep(for duration: Duration, coalescingOn grid: Duration) async throws

    /// Suspends for `atMost`, or ends from `atLeast` on when the clock's thread wakes for another sleeper anyway: for
    /// periodic chores with slack, which then cost no wake-up of their own while something else runs often.
    func sleep(atMost: Duration, atLeast: Duration) async throws
}

extension WallClock {
    /// Exact: a clock that does not coalesce (the tests' clocks) sleeps for `duration`.
    public func sleep(for duration: Duration, coalescingOn grid: Duration) async throws {
        try await sleep(for: duration)
    }

    /// Exact: a clock without a timer thread (the tests' clocks) sleeps for `atMost`.
    public func sleep(atMost: Duration, atLeast: Duration) async throws {
        try await sleep(for: atMost)
    }
}
