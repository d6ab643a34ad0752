import Foundation

/// The daemon's notion of wall-clock time, injected everywhere something waits or stamps a time,
/// so tests can advance time instead of sleeping.
public protocol WallClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date

    /// Suspends for `duration`; throws `CancellationError` promptly when the calling task is cancelled.
    func sleep(for duration: Duration) async throws
}
