import Crypto
import Foundation

/// Deterministic event ids: the same (workspace, topic, item, version) always gives the same id, so a
/// re-read page produces the same ids, outbox inserts are idempotent and receivers can deduplicate.
public enum EventID {
    /// `notif_` + a name-based UUID (version 5 layout over SHA-256), in the style of Intercom's own ids.
    public static func make(workspace: String, topic: String, itemID: String, version: Int) -> String {
        // Unit separators keep "a|b" + "c" apart from "a" + "b|c".
        let name = [workspace, topic, itemID, String(version)].joined(separator: "\u{1F}")
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            let start = hex.index(hex.startIndex, offsetBy: range.lowerBound)
            let end = hex.index(hex.startIndex, offsetBy: range.upperBound)
            return String(hex[start..<end])
        }
        return "notif_" + parts.joined(separator: "-")
    }
}
