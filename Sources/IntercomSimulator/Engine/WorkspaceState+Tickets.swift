/// Ticket and ticket type endpoints.
extension WorkspaceState {
    mutating func createTicket(_ body: JSONValue, now: Double) throws(APIError) -> TicketRecord {
        guard let typeID = body["ticket_type_id"].flatMap({ $0.stringValue ?? $0.intValue.map(String.init) }) else {
            throw APIError(code: "parameter_not_found", message: "ticket_type_id is required", field: "ticket_type_id")
        }
        guard ticketType(typeID) != nil else {
            throw APIError(code: "parameter_invalid", message: "Ticket type not found", field: "ticket_type_id")
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

    /// The workspace's ticket type with `id`.
    func ticketType(_ id: String) -> TicketTypeRecord? { ticketTypes.first { $0.id == id } }

    /// `GET /ticket_types`: every ticket type, unpaged, as Intercom lists them.
    func listTicketTypes() -> JSONValue {
        ["type": "list", "data": .array(ticketTypes.map { $0.json(workspaceID: settings.workspaceID) })]
    }

    /// A ticket as the API renders it. Tickets are only created with a known type, so it is always found.
    func render(_ ticket: TicketRecord) -> JSONValue {
        ticket.json(workspaceID: settings.workspaceID, type: ticketType(ticket.ticketTypeID) ?? ticketTypes[0])
    }

    mutating func handleTickets(_ request: SimRequest, _ parts: [String], now: Double) throws(APIError) -> JSONValue {
        switch (request.method, parts.count) {
        case ("POST", 1):
            return render(try createTicket(try Self.object(request.body), now: now))
        case ("GET", 2):
            guard let ticket = tickets[parts[1]] else {
                throw APIError.notFound("Ticket not found", code: "ticket_not_found")
            }
            return render(ticket)
        default:
            throw APIError.notFound("Resource Not Found")
        }
    }
}
