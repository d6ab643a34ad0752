import Foundation

/// A candidate event handed to ``StateStore/commitPage(_:)``: one version of one item for one topic.
public struct NewEvent: Sendable, Hashable {
    /// The deterministic event id, derived from (workspace, topic, item id, version).
    public var id: String
    /// The topic, e.g. `contact.user.created`.
    public var topic: String
    /// The Intercom id of the contact or conversation.
    public var itemID: String
    /// `created_at` for created topics, `updated_at` for updated topics (Unix seconds).
    public var version: Int
    /// The raw item JSON exactly as Intercom returned it.
    public var item: Data

    /// Creates a candidate event.
    public init(id: String, topic: String, itemID: String, version: Int, item: Data) {
        self.id = id
        self.topic = topic
        self.itemID = itemID
        self.version = version
        self.item = item
    }
}
