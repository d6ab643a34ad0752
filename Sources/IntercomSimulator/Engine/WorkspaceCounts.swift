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

    /// No records at all.
    static let zero = WorkspaceCounts(
        contacts: 0, conversations: 0, companies: 0, tickets: 0, searchableContacts: 0, searchableConversations: 0)

    /// Every count by its control-endpoint name, in the order `GET /__sim/counts` shows them.
    var named: [(name: String, value: Int)] {
        [
            ("contacts", contacts), ("conversations", conversations), ("companies", companies), ("tickets", tickets),
            ("searchable_contacts", searchableContacts), ("searchable_conversations", searchableConversations),
        ]
    }

    func json() -> JSONValue {
        var object = JSONObject()
        for (name, value) in named { object[name] = .int(value) }
        return .object(object)
    }

    /// The counts of two workspaces together.
    static func + (lhs: WorkspaceCounts, rhs: WorkspaceCounts) -> WorkspaceCounts {
        WorkspaceCounts(
            contacts: lhs.contacts + rhs.contacts, conversations: lhs.conversations + rhs.conversations,
            companies: lhs.companies + rhs.companies, tickets: lhs.tickets + rhs.tickets,
            searchableContacts: lhs.searchableContacts + rhs.searchableContacts,
            searchableConversations: lhs.searchableConversations + rhs.searchableConversations)
    }
}
