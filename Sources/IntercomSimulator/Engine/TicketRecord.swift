/// One ticket; renders the 2.16 `ticket` schema.
public struct TicketRecord: Sendable, Equatable {
    /// The id used by `GET /tickets/{id}`.
    public var id: String
    /// The number shown to people (`ticket_id`), not accepted by `GET /tickets/{id}`.
    public var ticketNumber: String
    public var ticketTypeID: String
    public var title: String
    public var description: String
    public var contacts: [ConversationRecord.ContactRef]
    public var createdAt: Int
    public var updatedAt: Int
    public var adminAssigneeID = 0
    public var teamAssigneeID = 0
    var extraAttributes = JSONObject()

    /// The ticket with its type (`type`, whose id is `ticketTypeID`) in full.
    func json(workspaceID: String, type: TicketTypeRecord) -> JSONValue {
        var object = JSONObject()
        object["type"] = "ticket"
        object["id"] = .string(id)
        object["ticket_id"] = .string(ticketNumber)
        object["category"] = .string(type.category)
        var attributes = JSONObject()
        attributes["_default_title_"] = .string(title)
        attributes["_default_description_"] = .string(description)
        for (key, value) in extraAttributes.pairs { attributes[key] = value }
        object["ticket_attributes"] = .object(attributes)
        object["ticket_state"] = type.states[0]
        object["ticket_type"] = type.json(workspaceID: workspaceID)
        object["contacts"] = [
            "type": "contact.list",
            "contacts": .array(
                contacts.map { ["type": "contact", "id": .string($0.id), "external_id": .string($0.externalID)] }),
        ]
        object["admin_assignee_id"] = .int(adminAssigneeID)
        object["team_assignee_id"] = .int(teamAssigneeID)
        object["created_at"] = .int(createdAt)
        object["updated_at"] = .int(updatedAt)
        object["open"] = true
        object["linked_objects"] = ["type": "list", "total_count": 0, "has_more": false, "data": []]
        object["ticket_parts"] = [
            "type": "ticket_part.list",
            "ticket_parts": [
                [
                    "type": "ticket_part", "id": .string(String((Int(id) ?? 0) * 7 + 1000)),
                    "part_type": "ticket_state_updated_by_admin", "body": nil, "ticket_state": "submitted",
                    "previous_ticket_state": "submitted", "created_at": .int(createdAt), "updated_at": .int(createdAt),
                    "author": [
                        "id": "991267459", "type": "bot", "name": "Operator", "email": "operator+simulated@intercom.io",
                    ],
                    "attachments": [], "assigned_to": nil, "external_id": nil, "redacted": false,
                    "app_package_code": "intercom", "updated_attribute_data": nil,
                ]
            ],
            "total_count": 1,
        ]
        object["is_shared"] = true
        object["previous_ticket_state_id"] = .null
        return .object(object)
    }
}
