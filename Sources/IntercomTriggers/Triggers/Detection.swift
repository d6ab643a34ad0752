/// A version the classifier found for a topic: fired as an event, or only remembered as seen because
/// another topic's event for the same sighting replaces it.
public struct Detection: Sendable, Equatable {
    public var topic: String
    public var itemID: String
    public var version: Int
    /// False when a superseding topic fires for the same sighting: the version is recorded, no event.
    public var fires: Bool

    public init(topic: String, itemID: String, version: Int, fires: Bool) {
        self.topic = topic
        self.itemID = itemID
        self.version = version
        self.fires = fires
    }
}
