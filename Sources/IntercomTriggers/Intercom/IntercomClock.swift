import Foundation
import Synchronization

/// Intercom's clock as its responses tell it: the last usable `Date` header and the host time it arrived at,
/// so that Intercom's now is that date plus the host time elapsed since. Also notices when the host clock and
/// Intercom's drift apart, and when they agree again, once each.
final class IntercomClock: Sendable {
    /// Dates outside this range are absurd for a live API (a broken proxy, a hostile server) and count as
    /// absent: 2020-01-01 to 2100-01-01, GMT.
    static let plausibleDates = Date(timeIntervalSince1970: 1_577_836_800)...Date(timeIntervalSince1970: 4_102_444_800)
    /// How far the two clocks may differ before it is worth a warning: past the 1 s resolution of `Date` and
    /// the time a response takes, well under anything that moves a lookback.
    static let tolerance: TimeInterval = 60

    /// A change in whether the clocks agree; `skew` is Intercom's time minus the host's, in seconds.
    enum Change: Equatable {
        case drifted(skew: TimeInterval)
        case agreed(skew: TimeInterval)
    }

    private struct Reading {
        var date: Date
        var receivedAt: Date
    }

    private struct State {
        var last: Reading?
        var drifted = false
    }

    private let state = Mutex(State())

    /// Records a response's `Date` header received at host time `receivedAt`; an absent, unreadable or
    /// absurd header changes nothing. Returns the change when the clocks start or stop disagreeing.
    func record(dateHeader: String?, receivedAt: Date) -> Change? {
        guard let dateHeader, let date = HTTPDate.parse(dateHeader), Self.plausibleDates.contains(date) else {
            return nil
        }
        let skew = date.timeIntervalSince(receivedAt)
        return state.withLock { state in
            state.last = Reading(date: date, receivedAt: receivedAt)
            let drifted = abs(skew) > Self.tolerance
            guard drifted != state.drifted else { return nil }
            state.drifted = drifted
            return drifted ? .drifted(skew: skew) : .agreed(skew: skew)
        }
    }

    /// Intercom's time at host time `hostNow`, or nil before any usable `Date`. A host clock that stepped back
    /// since the reading counts as no time elapsed.
    func now(hostNow: Date) -> Date? {
        state.withLock { $0.last }.map { $0.date.addingTimeInterval(max(0, hostNow.timeIntervalSince($0.receivedAt))) }
    }
}
