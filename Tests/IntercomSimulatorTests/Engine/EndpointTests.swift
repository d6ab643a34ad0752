import Testing

@testable import IntercomSimulator

/// The single-record endpoints: contacts, conversations, messages, tickets, admins.
@Suite struct EndpointTests {
    @Test func meDescribesTheAdminAndTheWorkspace() {
        let harness = EngineHarness(timezone: "Europe/Dublin")
        let me = harness.call("GET", "/me").json
        #expect(me["type"]?.stringValue == "admin")
        #expect(me["app"]?["id_code"]?.stringValue == harness.workspace.configuration.workspaceID)
        #expect(me["app"]?["timezone"]?.stringValue == "Europe/Dublin")
        #expect(me["app"]?["region"]?.stringValue == "US")
        let admins = harness.call("GET", "/admins").json
        #expect(admins["type"]?.stringValue == "admin.list")
        #expect((admins["admins"]?.arrayValue?.count ?? 0) >= 2)
    }

    @Test func createGetUpdateDeleteContact() throws {
        let harness = EngineHarness()
        let created = harness.call(
            "POST", "/contacts", body: #"{"role":"lead","email":"Lee@Example.com","name":"Lee"}"#)
        #expect(created.status == 200)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(id.count == 24 && id.allSatisfy(\.isHexDigit))
        #expect(created.json["role"]?.stringValue == "lead")
        #expect(created.json["created_at"] == created.json["updated_at"])
        #expect(created.json["email_domain"]?.stringValue == "Example.com")
        #expect(created.json["workspace_id"]?.stringValue == harness.workspace.configuration.workspaceID)

        harness.clock.advance(by: 10)
        let updated = harness.call("PUT", "/contacts/\(id)", body: #"{"role":"user","external_id":"u-9"}"#)
        #expect(updated.json["role"]?.stringValue == "user")
        #expect(updated.json["updated_at"]?.intValue == (created.json["updated_at"]?.intValue ?? 0) + 10)
        #expect(updated.json["created_at"] == created.json["created_at"])
        #expect(harness.call("PUT", "/contacts/\(id)", body: #"{"role":"lead"}"#).status == 400)
        #expect(harness.call("GET", "/contacts/\(id)").json["merge_history"] == nil)
        let withHistory = harness.call("GET", "/contacts/\(id)", query: ["include_merge_history": "true"])
        #expect(withHistory.json["merge_history"] == .array([]))

        let deleted = harness.call("DELETE", "/contacts/\(id)")
        #expect(deleted.json == ["type": "contact", "id": .string(id), "external_id": "u-9", "deleted": true])
        let gone = harness.call("GET", "/contacts/\(id)")
        #expect(gone.status == 404)
        #expect(errorDetails(gone.json) == ("not_found", "User Not Found"))
    }

    @Test func duplicateUsersConflictButLeadsMayShareAnEmail() throws {
        let harness = EngineHarness()
        let first = harness.call("POST", "/contacts", body: #"{"email":"dup@example.com"}"#)
        let id = try #require(first.json["id"]?.stringValue)
        let again = harness.call("POST", "/contacts", body: #"{"email":"DUP@example.com"}"#)
        #expect(again.status == 409)
        #expect(
            errorDetails(again.json) == ("conflict", "A contact matching those details already exists with id=\(id)"))
        let external = harness.call("POST", "/contacts", body: #"{"external_id":"e1"}"#)
        #expect(external.status == 200)
        #expect(harness.call("POST", "/contacts", body: #"{"external_id":"e1","email":"x@example.com"}"#).status == 409)
        #expect(harness.call("POST", "/contacts", body: #"{"role":"lead","email":"dup@example.com"}"#).status == 200)
        #expect(harness.call("POST", "/contacts", body: #"{"role":"lead","email":"dup@example.com"}"#).status == 200)
        #expect(harness.call("POST", "/contacts", body: #"{"name":"Nobody"}"#).status == 400)
    }

    @Test(arguments: ["user", "lead"])
    func contactInitiatedConversation(role: String) throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(role: role, email: "\(role)@example.com")
        let message = harness.call(
            "POST", "/conversations", body: #"{"from":{"type":"\#(role)","id":"\#(contact.id)"},"body":"Hello there"}"#)
        #expect(message.status == 200)
        #expect(message.json["type"]?.stringValue == "user_message")
        #expect(message.json["message_type"]?.stringValue == "inapp")
        let conversationID = try #require(message.json["conversation_id"]?.stringValue)
        #expect(Int(conversationID) != nil)
        let conversation = harness.call("GET", "/conversations/\(conversationID)").json
        #expect(conversation["source"]?["author"]?["type"]?.stringValue == role)
        #expect(conversation["source"]?["author"]?["id"]?.stringValue == contact.id)
        #expect(conversation["source"]?["delivered_as"]?.stringValue == "customer_initiated")
        #expect(conversation["contacts"]?["contacts"]?.arrayValue?.first?["id"]?.stringValue == contact.id)
        #expect(conversation["conversation_parts"]?["type"]?.stringValue == "conversation_part.list")

        let unknown = harness.call(
            "POST", "/conversations", body: #"{"from":{"type":"user","id":"0123456789abcdef01234567"},"body":"Hi"}"#)
        #expect(unknown.status == 404)
        #expect(errorDetails(unknown.json) == ("not_found", "User Not Found"))
    }

    @Test func adminInitiatedMessages() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "to@example.com")
        let to = #""to":{"type":"user","id":"\#(contact.id)"},"from":{"type":"admin","id":991267459}"#
        for type in ["inapp", "in_app"] {
            let sent = harness.call("POST", "/messages", body: #"{"message_type":"\#(type)","body":"Welcome!",\#(to)}"#)
            #expect(sent.status == 200)
            #expect(sent.json["type"]?.stringValue == "admin_message")
            #expect(sent.json["message_type"]?.stringValue == "inapp")
            #expect(sent.json["owner"]?["type"]?.stringValue == "admin")
            let conversationID = try #require(sent.json["conversation_id"]?.stringValue)
            let conversation = harness.call("GET", "/conversations/\(conversationID)").json
            #expect(conversation["source"]?["author"]?["type"]?.stringValue == "admin")
            #expect(conversation["source"]?["delivered_as"]?.stringValue == "admin_initiated")
        }
        let noSubject = harness.call("POST", "/messages", body: #"{"message_type":"email","body":"Hi",\#(to)}"#)
        #expect(noSubject.status == 422)
        #expect(errorDetails(noSubject.json) == ("parameter_not_found", "No subject supplied for email message"))
        let noBody = harness.call("POST", "/messages", body: #"{"message_type":"email","subject":"Hi",\#(to)}"#)
        #expect(noBody.status == 400)
        #expect(errorDetails(noBody.json) == ("parameter_invalid", "Body is required"))
        let email = harness.call(
            "POST", "/messages", body: #"{"message_type":"email","subject":"Hi","body":"Yo",\#(to)}"#)
        #expect(email.json["message_type"]?.stringValue == "email")
    }

    @Test func repliesBumpUpdatedAtAndAddParts() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "r@example.com")
        let conversation = try harness.workspace.createConversation(contactID: contact.id, body: "Help")
        harness.clock.advance(by: 30)
        let admin = harness.call(
            "POST", "/conversations/\(conversation.id)/reply",
            body: #"{"message_type":"comment","type":"admin","admin_id":"991267459","body":"<p>On it <b>now</b></p>"}"#)
        #expect(admin.status == 200)
        #expect(admin.json["updated_at"]?.intValue == conversation.updatedAt + 30)
        #expect(admin.json["waiting_since"] == .null)
        harness.clock.advance(by: 30)
        let user = harness.call(
            "POST", "/conversations/\(conversation.id)/reply",
            body: #"{"message_type":"comment","type":"user","intercom_user_id":"\#(contact.id)","body":"Thanks"}"#)
        #expect(user.json["updated_at"]?.intValue == conversation.updatedAt + 60)
        #expect(user.json["conversation_parts"]?["total_count"]?.intValue == 2)
        let parts = user.json["conversation_parts"]?["conversation_parts"]?.arrayValue ?? []
        #expect(parts.map { $0["author"]?["type"]?.stringValue } == ["admin", "user"])
        let plain = harness.call("GET", "/conversations/\(conversation.id)", query: ["display_as": "plaintext"]).json
        #expect(
            plain["conversation_parts"]?["conversation_parts"]?.arrayValue?.first?["body"]?.stringValue == "On it now")
        #expect(plain["source"]?["body"]?.stringValue == "Help")
        let note = harness.call(
            "POST", "/conversations/\(conversation.id)/reply",
            body: #"{"message_type":"note","type":"admin","admin_id":"991267459","body":"internal"}"#)
        #expect(
            note.json["conversation_parts"]?["conversation_parts"]?.arrayValue?.last?["part_type"]?.stringValue
                == "note")
        #expect(
            harness.call(
                "POST", "/conversations/999/reply", body: #"{"type":"admin","admin_id":"991267459","body":"x"}"#
            ).status == 404)
        #expect(harness.call("GET", "/conversations/999").status == 404)
    }

    @Test func tickets() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "t@example.com")
        let ticket = harness.call(
            "POST", "/tickets",
            body:
                #"{"ticket_type_id":"2","contacts":[{"id":"\#(contact.id)"}],"ticket_attributes":{"_default_title_":"Broken","_default_description_":"It broke"}}"#
        )
        #expect(ticket.status == 200)
        let id = try #require(ticket.json["id"]?.stringValue)
        let fetched = harness.call("GET", "/tickets/\(id)").json
        #expect(fetched["ticket_attributes"]?["_default_title_"]?.stringValue == "Broken")
        #expect(fetched["contacts"]?["contacts"]?.arrayValue?.first?["id"]?.stringValue == contact.id)
        #expect(fetched["ticket_type"]?["id"]?.stringValue == "2")
        #expect(fetched["ticket_type"]?["name"]?.stringValue == "Feature request")
        let missing = harness.call("GET", "/tickets/1")
        #expect(missing.status == 404)
        #expect(errorDetails(missing.json) == ("ticket_not_found", "Ticket not found"))
    }

    @Test func ticketTypesAreListedInTheSpecsShape() throws {
        let harness = EngineHarness()
        let answer = harness.call("GET", "/ticket_types")
        #expect(answer.status == 200)
        #expect(answer.json["type"]?.stringValue == "list")
        let types = try #require(answer.json["data"]?.arrayValue)
        #expect(types.compactMap { $0["id"]?.stringValue } == ["1", "2", "3"])
        for type in types {
            #expect(type["type"]?.stringValue == "ticket_type")
            #expect(type["workspace_id"]?.stringValue == harness.workspace.configuration.workspaceID)
            #expect(type["archived"] == .bool(false))
            #expect(["Customer", "Back-office", "Tracker"].contains(type["category"]?.stringValue ?? ""))
            let attributes = type["ticket_type_attributes"]?["data"]?.arrayValue ?? []
            #expect(attributes.compactMap { $0["name"]?.stringValue } == ["_default_title_", "_default_description_"])
            #expect(type["ticket_states"]?["data"]?.arrayValue?.first?["category"]?.stringValue == "submitted")
        }
        #expect(harness.call("POST", "/ticket_types", body: "{}").status == 404)
        #expect(harness.call("GET", "/ticket_types/extra").status == 404)
    }

    /// Only a listed type makes a ticket: an unknown id is refused and creates nothing.
    @Test(arguments: ["88", "0", ""]) func anUnknownTicketTypeIsRefused(_ typeID: String) throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "t@example.com")
        let answer = harness.call(
            "POST", "/tickets", body: #"{"ticket_type_id":"\#(typeID)","contacts":[{"id":"\#(contact.id)"}]}"#)
        #expect(answer.status == 400)
        #expect(errorDetails(answer.json) == ("parameter_invalid", "Ticket type not found"))
        #expect(harness.control("GET", "/__sim/counts").json["tickets"]?.intValue == 0)
    }

    @Test func unknownRoutesAre404() {
        let harness = EngineHarness()
        for (method, path) in [("GET", "/nothing"), ("PATCH", "/contacts/abc"), ("DELETE", "/me")] {
            let answer = harness.call(method, path)
            #expect(answer.status == 404)
            #expect(errorDetails(answer.json).code == "not_found")
        }
    }
}
