import Testing

@testable import IntercomSimulator

/// Search sees each record as of its last indexed version; get-by-id sees the current one at once.
@Suite struct IndexLagTests {
    private func searchable(_ harness: EngineHarness, _ query: String) -> [String] {
        EngineHarness.ids(harness.search("contacts", query, perPage: 150).json)
    }

    @Test func newContactIsInvisibleToSearchUntilTheLagPasses() throws {
        let harness = EngineHarness(indexLag: 120)
        let contact = try harness.workspace.createContact(email: "fresh@example.com")
        let query = #"{"field":"email","operator":"=","value":"fresh@example.com"}"#
        #expect(searchable(harness, query).isEmpty)
        #expect(harness.call("GET", "/contacts/\(contact.id)").status == 200)
        harness.clock.advance(by: 119)
        #expect(searchable(harness, query).isEmpty)
        harness.clock.advance(by: 1)
        #expect(searchable(harness, query) == [contact.id])
    }

    @Test func anUpdateShowsItsOldVersionToSearchUntilTheLagPasses() throws {
        let harness = EngineHarness(indexLag: 60)
        let lead = try harness.workspace.createContact(role: "lead", email: "lead@example.com")
        harness.clock.advance(by: 60)
        let users = #"{"field":"role","operator":"=","value":"user"}"#
        let leads = #"{"field":"role","operator":"=","value":"lead"}"#
        #expect(searchable(harness, leads) == [lead.id])

        harness.clock.advance(by: 30)
        let signedUp = try harness.workspace.touchContact(id: lead.id, role: "user")
        #expect(signedUp.updatedAt == lead.updatedAt + 90)
        let current = harness.call("GET", "/contacts/\(lead.id)").json
        #expect(current["role"]?.stringValue == "user")
        #expect(current["updated_at"]?.intValue == signedUp.updatedAt)
        // Search still has the lead version, with its old updated_at.
        #expect(searchable(harness, leads) == [lead.id])
        #expect(searchable(harness, users).isEmpty)
        let stale = harness.search("contacts", leads).json["data"]?.arrayValue?.first
        #expect(stale?["updated_at"]?.intValue == lead.updatedAt)

        harness.clock.advance(by: 60)
        #expect(searchable(harness, users) == [lead.id])
        #expect(searchable(harness, leads).isEmpty)
    }

    @Test func perRecordOverrideMakesOneRecordLate() throws {
        let harness = EngineHarness()
        let early = try harness.workspace.createContact(email: "early@example.com")
        let late = try harness.workspace.createContact(email: "late@example.com")
        harness.workspace.setSearchVisibility(contactID: late.id, at: harness.clock.now() + 300)
        let all = #"{"field":"role","operator":"=","value":"user"}"#
        #expect(searchable(harness, all) == [early.id])
        #expect(harness.workspace.counts.searchableContacts == 1)
        harness.clock.advance(by: 300)
        #expect(Set(searchable(harness, all)) == [early.id, late.id])
    }

    @Test func perCallLagAndControlEndpointOverride() throws {
        let harness = EngineHarness()
        let slow = try harness.workspace.createContact(email: "slow@example.com", indexLag: 90)
        let created = harness.control(
            "POST", "/__sim/contacts", body: #"{"email":"viahttp@example.com","index_lag":30}"#)
        let httpID = try #require(created.json["id"]?.stringValue)
        let all = #"{"field":"role","operator":"=","value":"user"}"#
        #expect(searchable(harness, all).isEmpty)
        harness.clock.advance(by: 30)
        #expect(searchable(harness, all) == [httpID])
        harness.clock.advance(by: 60)
        #expect(Set(searchable(harness, all)) == [httpID, slow.id])
        let visibility = harness.control(
            "POST", "/__sim/contacts/\(slow.id)/visibility", body: #"{"visible_at":\#(harness.clock.now() + 10)}"#)
        #expect(visibility.status == 200)
        #expect(searchable(harness, all) == [httpID])
    }

    @Test func conversationsLagToo() throws {
        let harness = EngineHarness(indexLag: 45)
        let contact = try harness.workspace.createContact(email: "talker@example.com")
        let conversation = try harness.workspace.createConversation(contactID: contact.id, body: "Hello")
        let query = #"{"field":"source.author.type","operator":"=","value":"user"}"#
        #expect(EngineHarness.ids(harness.search("conversations", query).json).isEmpty)
        #expect(harness.call("GET", "/conversations/\(conversation.id)").status == 200)
        harness.clock.advance(by: 45)
        #expect(EngineHarness.ids(harness.search("conversations", query).json) == [conversation.id])
    }

    @Test func lagChangesApplyToLaterChanges() throws {
        let harness = EngineHarness()
        let config = harness.control("POST", "/__sim/config", body: #"{"index_lag":20}"#)
        #expect(config.json["index_lag"]?.intValue == 20)
        #expect(harness.workspace.settings.indexLag == 20)
        try harness.workspace.createContact(email: "a@example.com")
        #expect(harness.workspace.counts.searchableContacts == 0)
        harness.clock.advance(by: 20)
        #expect(harness.workspace.counts.searchableContacts == 1)
    }
}
