import Foundation

/// Conversation and message endpoints and the conversation part of the Swift API.
extension WorkspaceState {
    /// Message bodies are HTML in Intercom; plain text gets a paragraph around it.
    static func html(_ body: String) -> String {
        body.hasPrefix("<") ? body : "<p>\(body)</p>"
    }

    mutating func nextConversationNumber() -> String {
        defer { nextConversationID += 1 }
        return String(nextConversationID)
    }

    mutating func nextMessageNumber() -> String {
        defer { nextMessageID += 1 }
        return String(nextMessageID)
    }

    mutating func nextPartNumber() -> String {
        defer { nextPartID += 1 }
        return String(nextPartID)
    }

    /// A contact-initiated conversation: `source.author.type` is the contact's role (`user` or `lead`).
    mutating func createUserConversation(
        contactID: String, body: String, subject: String = "", createdAt: Int? = nil, now: Double, lag: Double? = nil
    ) throws(APIError) -> ConversationRecord {
        guard let contact = contacts.current(contactID) else { throw APIError.notFound("User Not Found") }
        let created = createdAt ?? Int(now.rounded(.down))
        let author = ConversationRecord.Author(
            type: contact.role, id: contact.id, name: contact.name, email: contact.email)
        var conversation = ConversationRecord(
            id: nextConversationNumber(), createdAt: created, updatedAt: created,
            source: .init(
                id: nextMessageNumber(), deliveredAs: "customer_initiated", subject: subject, body: Self.html(body),
                author: author, url: nil))
        conversation.waitingSince = created
        conversation.contacts = [.init(id: contact.id, externalID: contact.externalID)]
        conversations.put(conversation, visibleAt: visibleAt(now: now, lag: lag))
        return conversation
    }

    /// `POST /messages`: an admin-initiated conversation (`source.author.type` `admin`).
    mutating func createAdminMessage(_ body: JSONValue, now: Double) throws(APIError) -> JSONValue {
        let requested = body["message_type"]?.stringValue ?? "inapp"
        guard ["inapp", "in_app", "email"].contains(requested) else {
            throw APIError(
                code: "parameter_invalid", message: "message_type must be one of: inapp, email", field: "message_type")
        }
        let messageType = requested == "email" ? "email" : "inapp"
        guard let text = body["body"]?.stringValue, !text.isEmpty else {
            throw APIError(code: "parameter_invalid", message: "Body is required")
        }
        let subject = body["subject"]?.stringValue ?? ""
        if messageType == "email", subject.isEmpty {
            throw APIError(status: 422, code: "parameter_not_found", message: "No subject supplied for email message")
        }
        let fromID = body["from"]?["id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) }
        guard let admin = admins.first(where: { $0.id == fromID }) else {
            throw APIError.notFound("Admin not found", code: "admin_not_found")
        }
        var recipient = body["to"]
        if let list = recipient?.arrayValue { recipient = list.first }
        guard let toID = recipient?["id"]?.stringValue, let contact = contacts.current(toID) else {
            throw APIError.notFound("User Not Found")
        }
        let created = Int(now.rounded(.down))
        var conversation = ConversationRecord(
            id: nextConversationNumber(), createdAt: created, updatedAt: created,
            source: .init(
                type: messageType == "email" ? "email" : "conversation", id: nextMessageNumber(),
                deliveredAs: "admin_initiated", subject: subject, body: Self.html(text), author: admin.author, url: nil)
        )
        // An outbound message waits for the contact: Intercom shows it closed until they reply.
        conversation.open = false
        conversation.state = "closed"
        conversation.read = true
        conversation.contacts = [.init(id: contact.id, externalID: contact.externalID)]
        conversation.teammateIDs = [admin.id]
        conversations.put(conversation, visibleAt: visibleAt(now: now, lag: nil))

        var object = JSONObject()
        object["type"] = "admin_message"
        object["id"] = .string(conversation.source.id)
        object["created_at"] = .int(created)
        object["subject"] = .string(subject)
        object["body"] = .string(text)
        object["message_type"] = .string(messageType)
        object["conversation_id"] = .string(conversation.id)
        object["owner"] = [
            "type": "admin", "id": .string(admin.id), "name": .string(admin.name), "email": .string(admin.email),
            "away_mode_enabled": false, "away_mode_reassign": false,
        ]
        return .object(object)
    }

    /// `POST /conversations/{id}/reply`: a comment or note by an admin, or a comment by a contact.
    mutating func reply(conversationID rawID: String, _ body: JSONValue, now: Double) throws(APIError)
        -> ConversationRecord
    {
        let nowSeconds = Int(now.rounded(.down))
        guard let text = body["body"]?.stringValue, !text.isEmpty else {
            throw APIError(code: "parameter_invalid", message: "Body is required")
        }
        let messageType = body["message_type"]?.stringValue ?? "comment"
        let type = body["type"]?.stringValue ?? ""
        let author: ConversationRecord.Author
        if type == "admin" {
            guard ["comment", "note", "quick_reply"].contains(messageType) else {
                throw APIError(
                    code: "parameter_invalid", message: "message_type must be one of: comment, note, quick_reply",
                    field: "message_type")
            }
            let adminID = body["admin_id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) }
            guard let admin = admins.first(where: { $0.id == adminID }) else {
                throw APIError.notFound("Admin not found", code: "admin_not_found")
            }
            author = admin.author
        } else if type == "user" || type == "lead" || type == "contact" {
            guard messageType == "comment" else {
                throw APIError(
                    code: "parameter_invalid", message: "message_type must be comment", field: "message_type")
            }
            let contact: ContactRecord?
            if let id = body["intercom_user_id"]?.stringValue {
                contact = contacts.current(id)
            } else if let external = body["user_id"]?.stringValue {
                contact = contactByExternalID[external].flatMap { contacts.current($0) }
            } else if let email = body["email"]?.stringValue?.lowercased() {
                contact = userByEmail[email].flatMap { contacts.current($0) }
            } else {
                contact = nil
            }
            guard let contact else { throw APIError.notFound("User Not Found") }
            author = .init(type: contact.role, id: contact.id, name: contact.name, email: contact.email)
        } else {
            throw APIError(code: "parameter_invalid", message: "type must be one of: admin, user", field: "type")
        }

        var id = rawID
        if rawID == "last" {
            // "last": the most recent conversation of the replying contact (or any, for an admin).
            let mine = conversations.keys.reversed().first { key in
                guard let record = conversations.current(key) else { return false }
                return author.type == "admin" || record.contacts.contains { $0.id == author.id }
            }
            guard let mine else { throw APIError.notFound("Resource Not Found") }
            id = String(mine)
        }
        guard let key = Int(id), var conversation = conversations.current(key) else {
            throw APIError.notFound("Resource Not Found")
        }
        let created = body["created_at"]?.intValue ?? nowSeconds
        let partType = messageType == "quick_reply" ? "quick_reply" : messageType
        if author.type == "admin" {
            if partType != "note" { conversation.waitingSince = nil }
            if !conversation.teammateIDs.contains(author.id) { conversation.teammateIDs.append(author.id) }
        } else {
            conversation.waitingSince = conversation.waitingSince ?? created
            conversation.open = true
            conversation.state = "open"
            conversation.read = false
        }
        conversation.parts.append(
            .init(
                id: nextPartNumber(), partType: partType, body: Self.html(text), createdAt: created, author: author,
                state: conversation.state))
        conversation.updatedAt = max(nowSeconds, conversation.updatedAt)
        conversations.put(conversation, visibleAt: visibleAt(now: now, lag: nil))
        return conversation
    }

    // MARK: HTTP

    mutating func handleConversations(_ request: SimRequest, _ parts: [String], now: Double) throws(APIError)
        -> JSONValue
    {
        let monitors = request.query["include_monitors"] == "true"
        let scorecards = request.query["include_scorecards"] == "true"
        switch (request.method, parts.count) {
        case ("POST", 1):
            let body = try Self.object(request.body)
            guard let from = body["from"], let contactID = from["id"]?.stringValue else {
                throw APIError(code: "parameter_invalid", message: "from is required", field: "from")
            }
            guard let type = from["type"]?.stringValue, ["user", "lead", "contact"].contains(type) else {
                throw APIError(
                    code: "parameter_invalid", message: "from.type must be one of: lead, user, contact", field: "from")
            }
            guard let text = body["body"]?.stringValue, !text.isEmpty else {
                throw APIError(code: "parameter_invalid", message: "Body is required")
            }
            let conversation = try createUserConversation(
                contactID: contactID, body: text, subject: body["subject"]?.stringValue ?? "",
                createdAt: body["created_at"]?.intValue, now: now)
            var object = JSONObject()
            object["type"] = "user_message"
            object["id"] = .string(conversation.source.id)
            object["created_at"] = .int(conversation.createdAt)
            object["subject"] = .string(conversation.source.subject)
            object["body"] = .string(text)
            object["message_type"] = "inapp"
            object["conversation_id"] = .string(conversation.id)
            return .object(object)
        case ("GET", 1):
            let query = try SearchQuery<ConversationRecord>.list(request.query, defaultPerPage: 20)
            return listJSON(
                try conversations.search(query, schema: conversationSchema, now: now, counts: &conversationCounts),
                monitors: monitors, scorecards: scorecards)
        case ("POST", 2) where parts[1] == "search":
            let body = try Self.object(request.body)
            let query = try SearchQuery(body: body, schema: conversationSchema, defaultPerPage: 20)
            return listJSON(
                try conversations.search(query, schema: conversationSchema, now: now, counts: &conversationCounts),
                monitors: monitors, scorecards: scorecards)
        case ("GET", 2):
            guard let key = Int(parts[1]), let conversation = conversations.current(key) else {
                throw APIError.notFound("Resource Not Found")
            }
            return conversation.json(
                parts: true, plaintext: request.query["display_as"] == "plaintext", monitors: monitors,
                scorecards: scorecards)
        case ("POST", 3) where parts[2] == "reply":
            let body = try Self.object(request.body)
            return try reply(conversationID: parts[1], body, now: now).json(parts: true)
        default:
            throw APIError.notFound("Resource Not Found")
        }
    }

    private func listJSON(_ page: SearchPage<ConversationRecord>, monitors: Bool, scorecards: Bool) -> JSONValue {
        var object = JSONObject()
        object["type"] = "conversation.list"
        object["pages"] = page.pagesJSON()
        object["total_count"] = .int(page.totalCount)
        object["conversations"] = .array(
            page.records.map { $0.json(parts: false, monitors: monitors, scorecards: scorecards) })
        return .object(object)
    }
}
