import Foundation

/// The exact body of one delivery in `format = "cloudevents"`: a CloudEvents 1.0 event in the JSON event format,
/// sent in HTTP structured mode (`Content-Type: application/cloudevents+json`), so every attribute is under the
/// Standard Webhooks signature (DESIGN §6).
///
/// One line of compact JSON with a fixed key order and no trailing newline. `data` holds the same members as the
/// Intercom envelope's `data` (`item`, and `changes` or `changes_unavailable`), the raw item spliced in
/// verbatim. Unlike the envelope, the body names no attempt: it is the same bytes on every retry.
public struct CloudEvent: Sendable, Hashable {
    /// The `type` of an event of topic `t` is this prefix and `t`: the reverse-DNS name of the organisation whose
    /// webhook topics (and their meaning) the events carry, as the CloudEvents spec recommends.
    public static let typePrefix = "com.intercom."
    /// The `source` of a workspace's events is this and its percent-encoded id: Intercom's own address of the
    /// workspace, an absolute URI as the spec recommends.
    public static let sourcePrefix = "https://app.intercom.com/a/apps/"

    /// The event: its id, topic, item id, version and raw item.
    public var event: StoredEvent
    /// The workspace id, named in `source`.
    public var appID: String

    /// Creates the CloudEvent of `event`, detected in workspace `appID`.
    public init(event: StoredEvent, appID: String) {
        self.event = event
        self.appID = appID
    }

    /// The CloudEvent of `entry`'s event: labelled with the workspace the event was detected in, `appID` only for
    /// events that did not record one.
    public init(entry: OutboxEntry, appID: @autoclosure () -> String) {
        self.init(event: entry.event, appID: entry.event.workspaceID ?? appID())
    }

    /// The body bytes: exactly what is sent (and signed).
    public var body: Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(event.item.count + (event.changes?.count ?? 0) + event.id.utf8.count + 320)
        bytes += #"{"specversion":"1.0","id":"#.utf8
        JSONText.append(event.id, to: &bytes)
        bytes += #","source":"#.utf8
        JSONText.append(Self.source(appID: appID), to: &bytes)
        bytes += #","type":"#.utf8
        JSONText.append(Self.type(topic: event.topic), to: &bytes)
        // The spec forbids an empty subject; an item without an id (never stored) gets none.
        if !event.itemID.isEmpty {
            bytes += #","subject":"#.utf8
            JSONText.append(event.itemID, to: &bytes)
        }
        bytes += #","time":"\#(Self.time(version: event.version))","datacontenttype":"application/json","data":{"#.utf8
        event.appendDataMembers(to: &bytes)
        bytes += "}}".utf8
        return Data(bytes)
    }

    /// `source` for workspace `appID`. The id is percent-encoded (all but RFC 3986's unreserved characters), so
    /// whatever a workspace id holds, `source` stays one valid URI.
    public static func source(appID: String) -> String {
        var encoded = ""
        for byte in appID.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return sourcePrefix + encoded
    }

    /// `type` for `topic`: `contact.user.created` → `com.intercom.contact.user.created`.
    public static func type(topic: String) -> String { typePrefix + topic }

    /// `time` for a version (Unix seconds) as RFC 3339 in UTC, whole seconds: `2025-11-21T09:20:00Z`. A version
    /// outside 0001-01-01…9999-12-31 (RFC 3339 has four-digit years) is clamped into it, never a trap.
    public static func time(version: Int) -> String {
        let time = HTTPDate.utc(version)
        return "\(HTTPDate.four(time.year))-\(HTTPDate.two(time.month))-\(HTTPDate.two(time.day))T"
            + "\(HTTPDate.two(time.hour)):\(HTTPDate.two(time.minute)):\(HTTPDate.two(time.second))Z"
    }
}
