/// A version to remember as seen without firing an event, e.g. the `contact.user.updated` version that is
/// the user's creation (its `contact.user.created` event stands for it).
public struct SeenVersion: Sendable, Hashable {
    /// The topic the version is remembered for.
    public var topic: String
    /// The Intercom id of the item.
    public var itemID: String
    /// The version (Unix seconds).
    public var version: Int

    /// Creates a seen version.
    public init(topic: String, itemID: String, version: Int) {
        self.topic = topic
        self.itemID = itemID
        self.version = version
    }
}
