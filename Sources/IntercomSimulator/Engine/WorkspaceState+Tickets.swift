/// Ticket endpoints.
extension WorkspaceState {
    mutating func createTicket(_ body: JSONValue, now: Double) throws(APIError) -> TicketRecord {
        guard let typeID = body["ticket_type_id"].flatMap({ $0.stringValue ?? $0.intValue.map(String.init) }) else {
            throw APIError(code: "parameter_not_found", message: "ticket_type_id is required", field: "ticket_type_id")
        }
        guard let references = body["contacts"]?.arrayValue, !references.isEmpty else {
            throw APIError(code: "parameter_not_found", message: "contacts is required", field: "contacts")
        }
        var refs: [ConversationRecord.ContactRef] = []
        for reference in references {
            var found: ContactRecord?
            if let id = reference["id"]?.stringValue {
                found = contacts.current(id)
            } else if let external = reference["external_id"]?.stringValue {
                found = contactByExternalID[external].flatMap { contacts.current($0) }
            } else if let email = reference["email"]?.stringValue?.lowercased() {
                found = userByEmail[email].flatMap { contacts.current($0) }
            }
            guard let found else { throw APIError.notFound("User Not Found") }
            refs.append(.init(id: found.id, externalID: found.externalID))
        }
        let created = body["created_at"]?.intValue ?? Int(now.rounded(.down))
        let attributes = body["ticket_attributes"]?.objectValue ?? JSONObject()
        var extra = attributes
        extra["_default_title_"] = nil
        extra["_default_description_"] = nil
        let id = nextTicketID
        nextTicketID += 1
        let ticket = TicketRecord(
            id: String(id), ticketNumber: String(id - 593), ticketTypeID: typeID,
            title: attributes["_default_title_"]?.stringValue ?? "",
            description: attributes["_default_description_"]?.stringValue ?? "", contacts: refs, createdAt: created,
            updatedAt: created, extraAttributes: extra)
        tickets[ticket.id] = ticket
        return ticket
    }

    mutating func handleTickets(_ request: SimRequest, _ parts: [String], now: Double) throws(APIError) -> JSONValue {
        switch (request.method, parts.count) {
        case ("POST", 1):
            return try createTicket(try Self.object(request.body), now: now).json(workspaceID: settings.workspaceID)
        case ("GET", 2):
            guard let ticket = tickets[parts[1]] else {
                throw APIError.notFound("Ticket not found", code: "ticket_not_found")
            }
            return ticket.json(workspaceID: settings.workspaceID)
        default:
            throw APIError.notFound("Resource Not Found")
        }
    }
}
