/// How many records a workspace holds, and how many of them search can see right now.
public struct WorkspaceCounts: Sendable, Equatable {
    public var contacts: Int
    public var conversations: Int
    public var companies: Int
    public var tickets: Int
    /// Contacts with a searchable version (index lag hides the others).
    public var searchableContacts: Int
    /// Conversations with a searchable version.
    public var searchableConversations: Int

    func json() -> JSONValue {
        [
            "contacts": .int(contacts), "conversations": .int(conversations), "companies": .int(companies),
            "tickets": .int(tickets), "searchable_contacts": .int(searchableContacts),
            "searchable_conversations": .int(searchableConversations),
        ]
    }
}
