import Crypto
import Foundation

/// Deterministic event ids: the same (workspace, topic, item, version) always gives the same id, so a
/// re-read page produces the same ids, outbox inserts are idempotent and receivers can deduplicate.
public enum EventID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `notif_` + a name-based UUID (version 5 layout over SHA-256), in the style of Intercom's own ids.
    public static func make(workspace: String, topic: String, itemID: String, version: Int) -> String {
        // Unit separators keep "a|b" + "c" apart from "a" + "b|c".
        let name = [workspace, topic, itemID, String(version)].joined(separator: "\u{1F}")
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        // A digit table, not String(format:): one id per fired version makes this hot in a backfill.
        var text = Array("notif_".utf8)
        text.reserveCapacity(42)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
