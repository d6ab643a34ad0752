import Foundation
import Synchronization

/// The simulator's notion of now, shared by the engine (timestamps, index lag, scroll expiry) and the
/// HTTP layer (rate-limit windows). Real time by default; tests pin or advance it so day boundaries,
/// DST changes and rate-limit resets happen without waiting.
public final class SimulatorClock: Sendable {
    private let offset: Mutex<Double?>  // nil: real time; otherwise a fixed Unix time in seconds
    private let shift = Mutex<Double>(0)  // added to real time (only when not pinned)

    /// A clock that follows real time.
    public init() { offset = Mutex(nil) }

    /// A clock pinned at `unixSeconds` until advanced or released.
    public init(pinnedAt unixSeconds: Double) { offset = Mutex(unixSeconds) }

    /// Now, in Unix seconds with a fraction.
    public func now() -> Double {
        if let pinned = offset.withLock({ $0 }) { return pinned }
        return Date().timeIntervalSince1970 + shift.withLock { $0 }
    }

    /// Now, in whole Unix seconds, as Intercom timestamps are.
    public func nowSeconds() -> Int { Int(now().rounded(.down)) }

    /// Pins the clock at `unixSeconds`.
    public func pin(at unixSeconds: Double) { offset.withLock { $0 = unixSeconds } }

    /// Moves the clock forward (pinned or not) by `seconds`.
    public func advance(by seconds: Double) {
        let pinned = offset.withLock { value -> Bool in
            guard let current = value else { return false }
            value = current + seconds
            return true
        }
        if !pinned { shift.withLock { $0 += seconds } }
    }

    /// Returns to real time (keeping any shift applied by `advance`).
    public func release() { offset.withLock { $0 = nil } }
}
