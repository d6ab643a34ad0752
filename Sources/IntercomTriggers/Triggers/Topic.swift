/// One trigger topic: a row of `TopicCatalog`. Adding a topic is adding a row, not a code path.
public struct Topic: Sendable, Hashable, CustomStringConvertible {
    /// What a rule knows about an item: how it looks now and the role it had when last seen.
    public struct Context: Sendable {
        public var item: Observation
        /// The contact's role at its previous sighting, nil when it was never seen before.
        public var priorRole: String?
        /// Whether the contact was seen as a lead at any earlier sighting.
        public var wasLead: Bool
    }

    /// Intercom's webhook topic name, e.g. `contact.user.created`.
    public let name: String
    /// The resource whose search stream carries the topic.
    public let resource: Resource
    /// The item timestamp that is the topic's version.
    public let version: VersionField
    /// Whether the topic is on when `[triggers] topics` is not set.
    public let isDefault: Bool
    /// Topics whose version of the same item this one replaces when both would fire in one sighting
    /// (a user created and updated between two polls fires `created` only, with the newest item).
    public let supersedes: Set<String>
    /// Whether the item, as seen now, belongs to the topic.
    public let matches: @Sendable (Context) -> Bool

    public init(
        _ name: String, resource: Resource, version: VersionField, isDefault: Bool, supersedes: Set<String> = [],
        matches: @escaping @Sendable (Context) -> Bool
    ) {
        self.name = name
        self.resource = resource
        self.version = version
        self.isDefault = isDefault
        self.supersedes = supersedes
        self.matches = matches
    }

    public var description: String { name }

    public static func == (lhs: Topic, rhs: Topic) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
