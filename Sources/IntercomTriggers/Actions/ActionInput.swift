import Foundation

/// Checks on command input, each throwing `ActionUsageError` with a one-line reason.
public enum ActionInput {
    /// `value`, or a usage error naming the missing `flag` (e.g. `--email`).
    public static func required<T>(_ value: T?, _ flag: String) throws(ActionUsageError) -> T {
        guard let value else { throw ActionUsageError("missing required option \(flag)") }
        if let text = value as? String, text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ActionUsageError("\(flag) must not be empty")
        }
        return value
    }

    /// `value` if it is one of `allowed`.
    public static func oneOf(_ value: String, _ allowed: [String], _ flag: String) throws(ActionUsageError) -> String {
        guard allowed.contains(value) else {
            throw ActionUsageError(
                "\(flag) must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
        }
        return value
    }

    /// The text of a JSON flag, checked to be valid JSON of the expected kind (`{` object or `[` array).
    public static func json(_ text: String, _ flag: String, kind: JSONKind = .object) throws(ActionUsageError)
        -> String
    {
        let scanner = JSONScanner(Data(text.utf8))
        let root: Range<Int>
        do {
            root = try scanner.validate()
        } catch {
            throw ActionUsageError("\(flag) is not valid JSON: \(error.description)")
        }
        guard scanner.bytes[root.lowerBound] == kind.opening else {
            throw ActionUsageError("\(flag) must be a JSON \(kind.rawValue)")
        }
        return String(decoding: scanner.slice(root), as: UTF8.self)
    }

    /// The kinds of JSON value a flag may require.
    public enum JSONKind: String, Sendable {
        case object, array

        var opening: UInt8 { self == .object ? UInt8(ascii: "{") : UInt8(ascii: "[") }
    }
}
