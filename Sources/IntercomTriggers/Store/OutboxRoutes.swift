import Foundation

/// Where the events of a page go: destination name → what it takes.
///
/// Routing is decided where outbox rows are written (``StateStore/commitPage(_:routes:)``), from the
/// configured destinations; the trigger engine that classifies a page knows nothing of destinations.
public typealias OutboxRoutes = [String: OutboxRoute]

/// What one destination takes: its topics (`nil` = every topic) and, when it has a filter (`[[destination.when]]`),
/// whether an event's item and changes match it. An event its filter does not match gets no outbox row there.
///
/// Written as literals where only topics matter: `["crm": nil]` takes everything, `["crm": ["contact.lead.created"]]`
/// one topic.
public struct OutboxRoute: Sendable, ExpressibleByNilLiteral, ExpressibleByArrayLiteral {
    /// The topics taken; `nil` = all.
    public var topics: Set<String>?
    /// The filter: called with the event's raw item and its `changes` (nil when it has none); `nil` = no filter.
    public var matches: (@Sendable (_ item: Data, _ changes: Data?) -> Bool)?

    /// A route for `topics`, filtered by `matches` when given.
    public init(topics: Set<String>?, matches: (@Sendable (_ item: Data, _ changes: Data?) -> Bool)? = nil) {
        self.topics = topics
        self.matches = matches
    }

    /// A route for `topics` through a destination's configured filter (none when it is empty).
    public init(topics: Set<String>?, filter: EventFilter) {
        guard !filter.isEmpty else {
            self.init(topics: topics)
            return
        }
        self.init(topics: topics) { item, changes in filter.matches(item: item, changes: changes) }
    }

    public init(nilLiteral: ()) { self.init(topics: nil) }

    public init(arrayLiteral topics: String...) { self.init(topics: Set(topics)) }

    /// Whether the destination takes `topic` at all (before its filter).
    public func takes(_ topic: String) -> Bool { topics?.contains(topic) ?? true }
}
