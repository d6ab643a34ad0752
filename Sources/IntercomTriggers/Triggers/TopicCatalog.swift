/// Every topic the daemon can emit, with its exact semantics (DESIGN §5).
public enum TopicCatalog {
    /// Authors of a contact-initiated conversation (`source.author.type`).
    static let contactAuthors: Set<String> = ["user", "lead", "contact"]

    /// The table. Order is the order `status` lists topics in.
    public static let all: [Topic] = [
        Topic(
            "contact.lead.created", resource: .contacts, version: .createdAt, isDefault: true,
            supersedes: ["contact.lead.updated"]
        ) { $0.item.role == "lead" },
        Topic(
            "contact.user.created", resource: .contacts, version: .createdAt, isDefault: true,
            supersedes: ["contact.user.updated"]
        ) { $0.item.role == "user" && !$0.wasLead },
        Topic("contact.user.updated", resource: .contacts, version: .updatedAt, isDefault: true) {
            $0.item.role == "user" && $0.item.updatedAt != $0.item.createdAt
        },
        Topic("conversation.user.created", resource: .conversations, version: .createdAt, isDefault: true) {
            contactAuthors.contains($0.item.authorType ?? "")
        },
        Topic("contact.lead.updated", resource: .contacts, version: .updatedAt, isDefault: false) {
            $0.item.role == "lead" && $0.item.updatedAt != $0.item.createdAt
        },
        Topic(
            "contact.lead.signed_up", resource: .contacts, version: .updatedAt, isDefault: false,
            supersedes: ["contact.user.updated"]
        ) { $0.item.role == "user" && $0.priorRole == "lead" },
    ]

    /// The topics whose events carry `changes` (#14): updates of contacts, compared with the contact's snapshot.
    static let changeTopics: Set<String> = ["contact.user.updated", "contact.lead.updated"]

    /// The topics on by default.
    public static var defaults: [Topic] { all.filter(\.isDefault) }

    /// The topic called `name`, if there is one.
    public static func topic(named name: String) -> Topic? { all.first { $0.name == name } }
}
