/// `api tickets …`: create and get.
public enum TicketActions {
    /// `POST /tickets`: `contacts` a JSON array (`[{"id":…}]`), `attributes` a JSON object of ticket attributes.
    public static func create(
        ticketTypeID: String?, contacts: String?, attributes: String?, companyID: String? = nil,
        createdAt: Int? = nil, linkConversation: String? = nil, disableNotifications: Bool = false
    ) throws(ActionUsageError) -> any ApiAction {
        var body = JSONBodyBuilder()
        body.string("ticket_type_id", try ActionInput.required(ticketTypeID, "--ticket-type-id"))
        body.raw(
            "contacts",
            try ActionInput.json(try ActionInput.required(contacts, "--contacts"), "--contacts", kind: .array))
        body.raw(
            "ticket_attributes",
            try ActionInput.json(try ActionInput.required(attributes, "--attributes"), "--attributes"))
        body.string("company_id", companyID)
        body.int("created_at", createdAt)
        body.string("conversation_to_link_id", linkConversation)
        if disableNotifications { body.bool("skip_notifications", true) }
        return RequestAction(.post, "/tickets", body: body.data)
    }

    /// `GET /tickets/{id}`.
    public static func get(id: String?) throws(ActionUsageError) -> any ApiAction {
        RequestAction(.get, RequestAction.path("/tickets", try ActionInput.required(id, "ID")))
    }
}
