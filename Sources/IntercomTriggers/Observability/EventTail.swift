import Foundation

/// Reads events from the store as the JSON lines `tail` prints: the same envelope a destination
/// receives on its first attempt, in detection order, resuming where the last read stopped — and never past an
/// event another daemon sharing the store has yet to commit (``StateStore/followEvents(after:topic:since:limit:workspace:)``).
public final class EventTail {
    let store: StateStore
    let topic: String?
    let since: Int?
    let appID: String
    /// Only this workspace's events (`tail --workspace`); nil: every workspace's.
    let workspace: StoreWorkspace?
    private var cursor = EventCursor.start

    /// `appID` stands for the app id of events stored without one (queued before v5, all in the first workspace).
    public init(store: StateStore, topic: String?, since: Int?, appID: String, workspace: StoreWorkspace? = nil) {
        self.store = store
        self.topic = topic
        self.since = since
        self.appID = appID
        self.workspace = workspace
    }

    /// The envelopes of the events detected since the previous call (all matching ones on the first).
    public func next(limit: Int = 1_000) async throws -> [Data] {
        var lines: [Data] = []
        while true {
            let (events, next) = try await store.followEvents(
                after: cursor, topic: topic, since: since, limit: limit, workspace: workspace)
            guard !events.isEmpty else { return lines }
            cursor = next
            lines += events.map {
                EventEnvelope(
                    event: $0, appID: $0.workspaceID ?? appID, deliveryAttempts: 1, firstSentAt: $0.detectedAt
                ).body
            }
            if events.count < limit { return lines }
        }
    }
}
