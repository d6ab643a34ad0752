import Foundation

/// Where a trigger starts the first time it runs (`[triggers] start`): versions before it never fire.
public enum StartPoint: Sendable, Hashable, CustomStringConvertible {
    /// The moment the daemon first starts: only changes from then on fire.
    case now
    /// Everything the workspace has: the epoch.
    case beginning
    /// A fixed time, Unix seconds (written as RFC 3339).
    case at(Int)
    /// This long before the daemon first starts (written as a duration, e.g. "24h").
    case ago(Duration)

    /// The start as Unix seconds, given the current time `now` (Unix seconds).
    public func resolve(now: Int) -> Int {
        switch self {
        case .now: now
        case .beginning: 0
        case .at(let time): time
        case .ago(let duration): max(0, now - Int(duration.components.seconds))
        }
    }

    /// Why this point cannot be a start or reset target at `now` (Unix seconds), `nil` when it can: a time
    /// later than now would skip every version until then, silently.
    public func futureRefusal(now: Int) -> String? {
        guard case .at(let time) = self, time > now else { return nil }
        let late = time - now
        return "\(self) is \(ConfigDuration.format(.seconds(late))) later than now "
            + "(\(Date(timeIntervalSince1970: TimeInterval(now)).formatted(.iso8601))): every version until then would be skipped"
    }

    /// Reads `now`, `beginning`, an RFC 3339 time ("2025-01-31T09:00:00Z") or a duration back ("24h"); nil otherwise.
    public init?(parsing text: String) {
        switch text {
        case "now": self = .now
        case "beginning": self = .beginning
        default:
            if let time = Self.rfc3339(text) {
                self = .at(time)
            } else if let duration = try? ConfigDuration.parse(text) {
                self = .ago(duration)
            } else {
                return nil
            }
        }
    }

    /// As written in `daemon.conf`.
    public var description: String {
        switch self {
        case .now: "now"
        case .beginning: "beginning"
        case .at(let time):
            Date(timeIntervalSince1970: TimeInterval(time)).formatted(.iso8601)
        case .ago(let duration): ConfigDuration.format(duration)
        }
    }

    /// RFC 3339 with an offset, with or without fractional seconds (which are dropped).
    static func rfc3339(_ text: String) -> Int? {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? plain.parse(text)) ?? (try? fractional.parse(text)) else { return nil }
        return Int(date.timeIntervalSince1970.rounded(.down))
    }
}
