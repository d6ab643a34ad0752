import Foundation

/// The exact body of one delivery attempt: Intercom's own `notification_event` webhook envelope, so
/// receivers written for Intercom webhooks work unchanged (DESIGN §6).
///
/// One line of compact JSON with a fixed key order and no trailing newline. The raw item bytes are spliced
/// in verbatim, never re-serialised, so the item a receiver sees is byte for byte what Intercom returned.
public struct EventEnvelope: Sendable, Hashable {
    /// The event: its id, topic, detection time and raw item.
    public var event: StoredEvent
    /// The workspace id (`app_id`).
    public var appID: String
    /// Which attempt this is, 1 for the first (`delivery_attempts`).
    public var deliveryAttempts: Int
    /// When the first attempt was made, Unix seconds (`first_sent_at`); this attempt's time on the first.
    public var firstSentAt: Int

    /// Creates an envelope from its parts.
    public init(event: StoredEvent, appID: String, deliveryAttempts: Int, firstSentAt: Int) {
        self.event = event
        self.appID = appID
        self.deliveryAttempts = deliveryAttempts
        self.firstSentAt = firstSentAt
    }

    /// The envelope of the next attempt of `entry`, made at `attemptAt` (Unix seconds): labelled with the
    /// workspace the event was detected in, `appID` only for events that did not record one.
    public init(entry: OutboxEntry, appID: @autoclosure () -> String, attemptAt: Int) {
        self.init(
            event: entry.event, appID: entry.event.workspaceID ?? appID(), deliveryAttempts: entry.attempts + 1,
            firstSentAt: entry.firstSentAt ?? attemptAt)
    }

    /// The body bytes: exactly what is sent (and signed).
    public var body: Data {
        // Written straight into one buffer: every delivery attempt builds one.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(event.item.count + event.id.utf8.count + event.topic.utf8.count + 256)
        bytes += #"{"type":"notification_event","id":"#.utf8
        JSONText.append(event.id, to: &bytes)
        bytes += #","topic":"#.utf8
        JSONText.append(event.topic, to: &bytes)
        bytes += #","app_id":"#.utf8
        JSONText.append(appID, to: &bytes)
        bytes += #","created_at":\#(event.detectedAt),"data":{"type":"notification_event_data","#.utf8
        event.appendDataMembers(to: &bytes)
        bytes +=
            #"},"delivery_attempts":\#(deliveryAttempts),"first_sent_at":\#(firstSentAt),"self":null,"links":{}}"#
            .utf8
        return Data(bytes)
    }
}
