/// One ticket type of the workspace; renders the 2.16 `ticket_type` schema. A ticket can only be created with
/// the id of one of these (`GET /ticket_types` lists them).
public struct TicketTypeRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var icon: String
    /// `Customer`, `Back-office` or `Tracker`.
    public var category: String
    public var isInternal: Bool
    public var createdAt: Int

    /// The ticket types every simulated workspace has, created a week after the app.
    static let seeded: [TicketTypeRecord] = [
        TicketTypeRecord(
            id: "1", name: "Bug report", description: "Something in the product does not work as expected.",
            icon: "🐞", category: "Customer", isInternal: false, createdAt: WorkspaceState.appCreatedAt + 604_800),
        TicketTypeRecord(
            id: "2", name: "Feature request", description: "An idea or a wish for the product.", icon: "💡",
            category: "Customer", isInternal: false, createdAt: WorkspaceState.appCreatedAt + 604_800),
        TicketTypeRecord(
            id: "3", name: "Refund", description: "A refund handled by the billing team.", icon: "💳",
            category: "Back-office", isInternal: true, createdAt: WorkspaceState.appCreatedAt + 604_800),
    ]

    /// The states a ticket of this type goes through, the first one a new ticket's (ids unique per type).
    var states: [JSONValue] {
        let base = 8_480 + (Int(id) ?? 0) * 10
        return [
            ("submitted", "Submitted", "Submitted"), ("in_progress", "In progress", "In progress"),
            ("waiting_on_customer", "Waiting on customer", "Waiting on you"), ("resolved", "Resolved", "Resolved"),
        ].enumerated().map { index, state in
            [
                "type": "ticket_state", "id": .string(String(base + index + 1)), "category": .string(state.0),
                "internal_label": .string(state.1), "external_label": .string(state.2),
            ]
        }
    }

    func json(workspaceID: String) -> JSONValue {
        var object = JSONObject()
        object["type"] = "ticket_type"
        object["id"] = .string(id)
        object["name"] = .string(name)
        object["description"] = .string(description)
        object["icon"] = .string(icon)
        object["workspace_id"] = .string(workspaceID)
        object["archived"] = false
        object["created_at"] = .int(createdAt)
        object["updated_at"] = .int(createdAt)
        object["is_internal"] = .bool(isInternal)
        object["category"] = .string(category)
        // The spec's examples (real responses) use `data` where its schema says `ticket_type_attributes`.
        object["ticket_type_attributes"] = [
            "type": "list",
            "data": [
                attribute("_default_title_", id: 1, order: 0, multiline: false, workspaceID: workspaceID),
                attribute("_default_description_", id: 2, order: 1, multiline: true, workspaceID: workspaceID),
            ],
        ]
        object["ticket_states"] = ["type": "list", "data": .array(states)]
        return .object(object)
    }

    /// One of the two built-in attributes every ticket type has.
    private func attribute(_ name: String, id offset: Int, order: Int, multiline: Bool, workspaceID: String)
        -> JSONValue
    {
        [
            "type": "ticket_type_attribute", "id": .string(String((Int(id) ?? 0) * 100 + offset)),
            "workspace_id": .string(workspaceID), "name": .string(name), "description": "", "data_type": "string",
            "input_options": ["multiline": .bool(multiline)], "order": .int(order), "required_to_create": false,
            "required_to_create_for_contacts": false, "visible_on_create": true, "visible_to_contacts": true,
            "default": true, "ticket_type_id": .int(Int(id) ?? 0), "archived": false, "created_at": .int(createdAt),
            "updated_at": .int(createdAt),
        ]
    }
}
