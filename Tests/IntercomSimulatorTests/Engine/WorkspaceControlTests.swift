import Testing

@testable import IntercomSimulator

/// The Swift API and the `/__sim/` control endpoints built on it.
@Suite struct WorkspaceControlTests {
    @Test func seedIsDeterministicAndRealistic() throws {
        let first = EngineHarness()
        let second = EngineHarness()
        first.workspace.seed(contacts: 40, conversations: 20, companies: 5, randomSeed: 7)
        second.workspace.seed(contacts: 40, conversations: 20, companies: 5, randomSeed: 7)
        let a = first.call("GET", "/contacts", query: ["per_page": "40"]).json
        let b = second.call("GET", "/contacts", query: ["per_page": "40"]).json
        #expect(a == b)
        let contacts = a["data"]?.arrayValue ?? []
        #expect(contacts.count == 40)
        for contact in contacts {
            #expect(contact["id"]?.stringValue?.count == 24)
            #expect(contact["location"]?["city"]?.stringValue?.isEmpty == false)
            let role = contact["role"]?.stringValue
            #expect(role == "user" || role == "lead")
            if role == "user" { #expect(contact["email"]?.stringValue?.contains("@") == true) }
        }
        let counts = first.workspace.counts
        #expect(
            counts
                == WorkspaceCounts(
                    contacts: 40, conversations: 20, companies: 5, tickets: 0, searchableContacts: 40,
                    searchableConversations: 20))
    }

    /// Seeded records are spread over the past, none after the clock and none piled up at it: a lookback (ten
    /// minutes) finds only the few that fall in it, as in a real workspace (clamping draws past now once put a
    /// third of the contacts and half the conversations at now).
    @Test func seededRecordsAreSpreadOverThePastNotPiledUpAtNow() throws {
        let now = 1_800_000_000
        var state = WorkspaceState(settings: WorkspaceConfiguration())
        state.seed(contacts: 3_000, conversations: 2_000, companies: 20, seed: 5, now: Double(now))
        let contacts = state.contacts.keys.compactMap { state.contacts.current($0) }
        let conversations = state.conversations.keys.compactMap { state.conversations.current($0) }
        #expect(contacts.count == 3_000)
        #expect(conversations.count == 2_000)
        #expect(contacts.allSatisfy { $0.createdAt <= $0.updatedAt && $0.updatedAt <= now })
        #expect(conversations.allSatisfy { $0.createdAt <= $0.updatedAt && $0.updatedAt <= now })
        let recent = now - 600
        #expect(contacts.filter { $0.updatedAt > recent }.count < 30)
        #expect(conversations.filter { $0.createdAt > recent }.count < 20)
        #expect(state.companies.values.allSatisfy { $0.updatedAt <= now })
        // Still spread over the whole window.
        #expect(contacts.contains { $0.updatedAt < now - 20 * 86_400 })
        #expect(contacts.contains { $0.updatedAt > now - 86_400 })
    }

    @Test func controlEndpointsSeedCreateTouchAndReset() throws {
        let harness = EngineHarness()
        let seeded = harness.control(
            "POST", "/__sim/seed", body: #"{"contacts":10,"conversations":4,"companies":2}"#)
        #expect(seeded.json["contacts"]?.intValue == 10)
        #expect(seeded.json["conversations"]?.intValue == 4)

        let created = harness.control(
            "POST", "/__sim/contacts",
            body: #"{"role":"lead","email":"ctl@example.com","created_at":1700000000,"updated_at":1700000005}"#)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(created.json["created_at"]?.intValue == 1_700_000_000)
        #expect(created.json["updated_at"]?.intValue == 1_700_000_005)

        let touched = harness.control(
            "POST", "/__sim/contacts/\(id)/touch", body: #"{"role":"user","updated_at":1700000100}"#)
        #expect(touched.json["role"]?.stringValue == "user")
        #expect(touched.json["updated_at"]?.intValue == 1_700_000_100)

        let conversation = harness.control(
            "POST", "/__sim/conversations", body: #"{"contact_id":"\#(id)","body":"Hi","created_at":1700000200}"#)
        #expect(conversation.json["created_at"]?.intValue == 1_700_000_200)
        #expect(conversation.json["source"]?["author"]?["type"]?.stringValue == "user")

        #expect(harness.control("GET", "/__sim/counts").json["contacts"]?.intValue == 11)
        let reset = harness.control("POST", "/__sim/reset")
        #expect(reset.json["contacts"]?.intValue == 0)
        #expect(harness.workspace.counts.conversations == 0)
        #expect(harness.control("POST", "/__sim/nothing").status == 404)
        #expect(harness.control("POST", "/__sim/contacts/\(id)/touch").status == 404)
    }

    @Test func corruptContactsAreSearchableButUnreadable() throws {
        let harness = EngineHarness()
        let badTime = harness.control(
            "POST", "/__sim/contacts", body: #"{"role":"user","email":"t@example.com","corrupt":"updated_at"}"#)
        #expect(badTime.status == 200)
        let id = try #require(badTime.json["id"]?.stringValue)
        #expect(badTime.json["updated_at"]?.stringValue == "not a time")
        let noID = harness.control("POST", "/__sim/contacts", body: #"{"role":"lead","corrupt":"id"}"#)
        #expect(noID.status == 200)
        #expect(noID.json["id"] == nil)
        #expect(noID.json["role"]?.stringValue == "lead")
        let good = harness.control("POST", "/__sim/contacts", body: #"{"role":"user","email":"g@example.com"}"#)
        #expect(good.json["updated_at"]?.intValue == harness.clock.nowSeconds())

        // Search serves all three, each rendered as created; a touch keeps the corruption.
        let found = harness.search("contacts", #"{"field":"role","operator":"IN","value":["user","lead"]}"#)
        let items = found.json["data"]?.arrayValue ?? []
        #expect(items.count == 3)
        #expect(items.filter { $0["id"] == nil }.count == 1)
        #expect(items.filter { $0["updated_at"]?.stringValue == "not a time" }.count == 1)
        let touched = harness.control("POST", "/__sim/contacts/\(id)/touch", body: "{}")
        #expect(touched.json["updated_at"]?.stringValue == "not a time")
        #expect(harness.call("GET", "/contacts/\(id)").json["updated_at"]?.stringValue == "not a time")

        let refused = harness.control("POST", "/__sim/contacts", body: #"{"role":"user","corrupt":"email"}"#)
        #expect(refused.status == 400)
        #expect(harness.workspace.counts.contacts == 3)
    }

    @Test func touchDefaultsToNowAndKeepsCreatedAt() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "t@example.com", createdAt: 1_700_000_000)
        #expect(contact.updatedAt == 1_700_000_000)
        let touched = try harness.workspace.touchContact(id: contact.id, customAttributes: ["tier": "gold"])
        #expect(touched.updatedAt == harness.clock.nowSeconds())
        #expect(touched.createdAt == 1_700_000_000)
        #expect(
            harness.call("GET", "/contacts/\(contact.id)").json["custom_attributes"]?["tier"]?.stringValue == "gold")
        #expect(throws: APIError.self) { try harness.workspace.touchContact(id: "missing") }
    }
}
