import Foundation

/// Durations as written in `daemon.conf`: a number and a unit, `ms`, `s`, `m`, `h` or `d` ("120s", "1.5h",
/// "500ms"). A bare number is refused, because nobody can tell whether "120" means seconds or minutes.
public enum ConfigDuration {
    /// The units, longest name first so that "ms" is not read as "m" + "s".
    static let units: [(name: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Unit words people write, for the suggested spelling.
    static let unitWords: [String: String] = [
        "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "sec": "s", "secs": "s", "second": "s",
        "seconds": "s", "min": "m", "mins": "m", "minute": "m", "minutes": "m", "hr": "h", "hrs": "h", "hour": "h",
        "hours": "h", "day": "d", "days": "d",
    ]

    /// Longest accepted duration: about 100 years, far below where milliseconds overflow.
    static let maxMilliseconds: Int64 = 100 * 365 * 86_400_000

    /// Why a text is not a duration: the problem and a corrected spelling to suggest.
    public struct Failure: Error, Sendable, Equatable {
        public var problem: String
        public var suggestion: String
    }

    /// Parses `text` ("120s", "1.5h", "500ms") into a duration of whole milliseconds.
    public static func parse(_ text: String) throws(Failure) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = String(trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") })
        let unit = String(trimmed.dropFirst(number.count))
        let wellFormed =
            number.contains(where: \.isNumber) && number.filter({ $0 == "." }).count <= 1 && number.first != "."
            && number.last != "."
        let example = wellFormed ? "\(number)s" : "120s"
        guard wellFormed else {
            throw Failure(problem: "\"\(text)\" is not a duration", suggestion: example)
        }
        guard !unit.isEmpty else {
            throw Failure(problem: "\"\(text)\" has no unit", suggestion: example)
        }
        guard let scale = units.first(where: { $0.name == unit })?.milliseconds else {
            let word = unit.trimmingCharacters(in: .whitespaces).lowercased()
            let suggestion = (unitWords[word] ?? units.first { $0.name == word }?.name).map { "\(number)\($0)" }
            throw Failure(
                problem: "\"\(text)\" has an unknown unit \"\(unit)\" (use ms, s, m, h or d)",
                suggestion: suggestion ?? example)
        }
        guard let value = Double(number), value * Double(scale) <= Double(maxMilliseconds) else {
            throw Failure(problem: "\"\(text)\" is too long", suggestion: "36500d")
        }
        return .milliseconds(Int64((value * Double(scale)).rounded()))
    }

    /// The shortest exact spelling of `duration` ("2m", "7d", "1500ms"), as `parse` reads it back.
    public static func format(_ duration: Duration) -> String {
        let (scaled, overflow) = duration.components.seconds.multipliedReportingOverflow(by: 1000)
        // Beyond what milliseconds can count (a remote or absurd value): whole seconds.
        guard !overflow else { return "\(duration.components.seconds)s" }
        let milliseconds = scaled + duration.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds != 0 else { return "0s" }
        for unit in units.reversed() where milliseconds % unit.milliseconds == 0 {
            return "\(milliseconds / unit.milliseconds)\(unit.name)"
        }
        return "\(milliseconds)ms"
    }
}
