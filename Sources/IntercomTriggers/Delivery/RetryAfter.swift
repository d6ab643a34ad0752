import Foundation

/// A receiver's `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date, read as a bounded pause.
public enum RetryAfter {
    /// The longest pause a receiver's `Retry-After` can ask for: a hostile or broken value (a date in the
    /// next century, `9223372036854775807`) pauses the lane for an hour, never for ever.
    public static let maximum = 3_600

    /// `value` as a pause from `now` (Unix seconds), at most ``maximum`` seconds and never negative; `nil` when
    /// unreadable. A date may take any of HTTP's three forms (``HTTPDate/parse(anyForm:now:)``).
    public static func delay(_ value: String, now: Int) -> Duration? {
        let text = String(HTTPFieldValue.trimmed(value))
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Digits too many for an Int are still "a very long time".
            return .seconds(Int(text).map { min($0, maximum) } ?? maximum)
        }
        guard let date = HTTPDate.parse(anyForm: text, now: now) else { return nil }
        let at = date.timeIntervalSince1970
        guard at.isFinite else { return nil }
        let seconds = at - Double(now)
        return .seconds(seconds <= 0 ? 0 : Int(min(seconds.rounded(.up), Double(maximum))))
    }
}
