/// One conversation as the simulator stores it; renders the 2.16 `conversation` and `conversation_list_item` schemas.
public struct ConversationRecord: Sendable, Equatable {
    /// Numeric string, e.g. `"200963802864963"` in production; ours count up.
    public var id: String
    public var createdAt: Int
    public var updatedAt: Int
    public var waitingSince: Int?
    public var snoozedUntil: Int?
    public var open = true
    public var state = "open"
    public var read = false
    public var priority = "none"
    /// 0 when unassigned (2.16).
    public var adminAssigneeID = 0
    public var teamAssigneeID = 0
    public var title: String?
    public var source: Source
    /// The contacts in the conversation (id and external id).
    public var contacts: [ContactRef] = []
    public var teammateIDs: [String] = []
    public var tagIDs: [String] = []
    var customAttributes = JSONObject()
    public var parts: [Part] = []

    /// `source` of a conversation: the message that started it.
    public struct Source: Sendable, Equatable {
        public var type = "conversation"
        public var id: String
        /// `customer_initiated` or `admin_initiated` (the spec leaves it a free string).
        public var deliveredAs: String
        public var subject = ""
        public var body: String
        public var author: Author
        public var url: String?
    }

    /// An author: a contact (`user`/`lead`), an `admin` or a `bot`.
    public struct Author: Sendable, Equatable {
        public var type: String
        public var id: String
        public var name: String?
        public var email: String?
    }

    /// A contact reference held by a conversation.
    public struct ContactRef: Sendable, Equatable {
        public var id: String
        public var externalID: String?
    }

    /// A conversation part (reply, note, state change).
    public struct Part: Sendable, Equatable {
        public var id: String
        public var partType: String
        public var body: String?
        public var createdAt: Int
        public var author: Author
        public var state: String
    }

    var idNumber: Int { Int(id) ?? 0 }

    /// The list/search rendering (`conversation_list_item`); `parts` adds `conversation_parts` for GET by id.
    /// `monitors`/`scorecards` add the arrays `?include_monitors=true` / `?include_scorecards=true` ask for.
    func json(parts includeParts: Bool, plaintext: Bool = false, monitors: Bool = false, scorecards: Bool = false)
        -> JSONValue
    {
        func text(_ html: String) -> String { plaintext ? HTMLText.plain(html) : html }
        var object = JSONObject()
        object["type"] = "conversation"
        object["id"] = .string(id)
        object["title"] = .string(title)
        object["created_at"] = .int(createdAt)
        object["updated_at"] = .int(updatedAt)
        object["waiting_since"] = .int(waitingSince)
        object["snoozed_until"] = .int(snoozedUntil)
        var sourceObject = JSONObject()
        sourceObject["type"] = .string(source.type)
        sourceObject["id"] = .string(source.id)
        sourceObject["delivered_as"] = .string(source.deliveredAs)
        sourceObject["recipients"] = .null
        sourceObject["reply_to"] = .null
        sourceObject["subject"] = .string(source.subject)
        sourceObject["body"] = .string(text(source.body))
        sourceObject["author"] = Self.authorJSON(source.author)
        sourceObject["attachments"] = []
        sourceObject["url"] = .string(source.url)
        sourceObject["redacted"] = false
        if source.type == "email" {
            sourceObject["email_message_metadata"] = [
                "message_id": .string("<\(source.id)@mail.example-support.com>"), "subject": .string(source.subject),
                "email_address_headers": [], "history": "",
            ]
        }
        object["source"] = .object(sourceObject)
        object["contacts"] = [
            "type": "contact.list",
            "contacts": .array(
                contacts.map { ["type": "contact", "id": .string($0.id), "external_id": .string($0.externalID)] }),
        ]
        let firstReply = parts.first { $0.author.type == "user" || $0.author.type == "lead" }
        object["first_contact_reply"] =
            firstReply.map { ["created_at": .int($0.createdAt), "type": "conversation", "url": .null] } ?? .null
        object["admin_assignee_id"] = .int(adminAssigneeID)
        object["team_assignee_id"] = .int(teamAssigneeID)
        object["open"] = .bool(open)
        object["state"] = .string(state)
        object["read"] = .bool(read)
        object["tags"] = [
            "type": "tag.list",
            "tags": .array(
                tagIDs.map {
                    [
                        "type": "tag", "id": .string($0), "name": .string("tag-\($0)"), "applied_at": .int(createdAt),
                        "applied_by": ["type": "admin", "id": .string(teammateIDs.first ?? "0")],
                    ]
                }),
        ]
        object["priority"] = .string(priority)
        object["company"] = .null
        object["sla_applied"] = .null
        object["statistics"] = statisticsJSON()
        object["conversation_rating"] = .null
        object["teammates"] = [
            "type": "admin.list", "teammates": .array(teammateIDs.map { ["type": "admin", "id": .string($0)] }),
        ]
        object["custom_attributes"] = .object(customAttributes)
        object["topics"] = [:]
        object["ticket"] = .null
        object["linked_objects"] = ["type": "list", "total_count": 0, "has_more": false, "data": []]
        object["ai_agent"] = .null
        object["ai_agent_participated"] = false
        object["sales_agent"] = .null
        object["sales_agent_participated"] = false
        object["channel"] = ["initial": .string(channel), "current": .string(channel)]
        object["external_references"] = []
        if monitors { object["monitor_evaluations"] = [] }
        if scorecards { object["scorecards"] = [] }
        if includeParts {
            let recent = parts.suffix(500)  // Intercom returns at most the 500 most recent parts.
            object["conversation_parts"] = [
                "type": "conversation_part.list",
                "conversation_parts": .array(recent.map { partJSON($0, text: text) }),
                "total_count": .int(recent.count),
            ]
        }
        return .object(object)
    }

    private var channel: String { source.type == "email" ? "email" : "chat" }

    private func statisticsJSON() -> JSONValue {
        let contactReplies = parts.filter { $0.author.type != "admin" && $0.author.type != "bot" }
        let adminReplies = parts.filter { $0.author.type == "admin" && $0.partType == "comment" }
        var object = JSONObject()
        object["type"] = "conversation_statistics"
        if let first = adminReplies.first {
            object["time_to_admin_reply"] = .int(first.createdAt - createdAt)
            object["first_admin_reply_at"] = .int(first.createdAt)
            object["last_admin_reply_at"] = .int(adminReplies.last?.createdAt ?? first.createdAt)
            object["median_time_to_reply"] = .int(first.createdAt - createdAt)
        }
        let contactAuthored = source.author.type != "admin" && source.author.type != "bot"
        if let first = contactAuthored ? createdAt : contactReplies.first?.createdAt {
            object["first_contact_reply_at"] = .int(first)
            object["last_contact_reply_at"] = .int(contactReplies.last?.createdAt ?? first)
        }
        object["count_reopens"] = 0
        object["count_assignments"] = 0
        object["count_conversation_parts"] = .int(parts.count + 1)
        object["assigned_team_first_response_time"] = []
        object["assigned_team_first_response_time_in_office_hours"] = []
        object["handling_time"] = 0
        object["adjusted_handling_time"] = .null
        return .object(object)
    }

    private func partJSON(_ part: Part, text: (String) -> String) -> JSONValue {
        var object = JSONObject()
        object["type"] = "conversation_part"
        object["id"] = .string(part.id)
        object["part_type"] = .string(part.partType)
        object["body"] = part.body.map { .string(text($0)) } ?? .null
        object["created_at"] = .int(part.createdAt)
        object["updated_at"] = .int(part.createdAt)
        object["notified_at"] = .int(part.createdAt)
        object["assigned_to"] = .null
        var author = JSONObject()
        author["id"] = .string(part.author.id)
        author["type"] = .string(part.author.type)
        author["name"] = .string(part.author.name)
        author["email"] = .string(part.author.email ?? "")
        author["from_ai_agent"] = false
        author["is_ai_answer"] = false
        object["author"] = .object(author)
        object["attachments"] = []
        object["external_id"] = .null
        object["redacted"] = false
        object["email_message_metadata"] = .null
        object["metadata"] = .null
        object["state"] = .string(part.state)
        object["tags"] = []
        object["event_details"] = .null
        object["app_package_code"] = .null
        return .object(object)
    }

    static func authorJSON(_ author: Author) -> JSONValue {
        [
            "type": .string(author.type), "id": .string(author.id), "name": .string(author.name),
            "email": .string(author.email),
        ]
    }
}
