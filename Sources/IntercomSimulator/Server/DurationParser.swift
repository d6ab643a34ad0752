import Foundation

/// Reads durations written with a unit, as the command line and control endpoints take them:
/// `250ms`, `30s`, `1.5m`, `2h`, `1d`; a bare `0` is also accepted.
public enum DurationParser {
    /// The duration, or nil when `text` is not a non-negative number followed by `ms`, `s`, `m`, `h` or `d`.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return .zero }
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
        ]
        // `ms` before `m` and `s`, so the longest suffix wins.
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite
            else { return nil }
            return .milliseconds(value * unit.seconds * 1000)
        }
        return nil
    }

    /// The duration in seconds, as `WorkspaceConfiguration.indexLag` takes it.
    public static func seconds(_ duration: Duration) -> Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
