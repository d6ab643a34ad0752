import Foundation

/// How a destination's events are written (`format` in a `[[destination]]`), for webhooks and stdout alike.
public enum EventFormat: String, Sendable, Hashable, CaseIterable {
    /// Intercom's own `notification_event` envelope (``EventEnvelope``): receivers of Intercom webhooks work
    /// unchanged. The default.
    case intercom
    /// CloudEvents 1.0 in structured mode (``CloudEvent``).
    case cloudevents

    /// The `Content-Type` of a webhook request's body.
    public var contentType: String {
        switch self {
        case .intercom: "application/json"
        case .cloudevents: "application/cloudevents+json"
        }
    }

    /// The body of the next attempt of `entry`, made at `attemptAt` (Unix seconds), for workspace `appID` when
    /// the event recorded none.
    public func body(of entry: OutboxEntry, appID: String, attemptAt: Int) -> Data {
        switch self {
        case .intercom: EventEnvelope(entry: entry, appID: appID, attemptAt: attemptAt).body
        case .cloudevents: CloudEvent(entry: entry, appID: appID).body
        }
    }
}
