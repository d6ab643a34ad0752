import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// `api tickets …` against the simulator.
@Suite struct TicketActionsTests {
    @Test func createsAndGetsATicket() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let contact = try server.workspace.createContact(role: "user", email: "t@example.com")
            let harness = ActionHarness(server: server)
            let created = await harness.run { () throws(ActionUsageError) in
                try TicketActions.create(
                    ticketTypeID: "1", contacts: #"[{"id":"\#(contact.id)"}]"#,
                    attributes: #"{"_default_title_":"Broken","_default_description_":"It broke"}"#,
                    createdAt: 1_700_000_000, disableNotifications: true)
            }
            #expect(created.code == 0)
            let ticket = try created.object()
            let id = try #require(ticket["id"] as? String)

            let fetched = await harness.run { () throws(ActionUsageError) in try TicketActions.get(id: id) }
            #expect(fetched.code == 0)
            #expect(try fetched.object()["id"] as? String == id)

            let missing = await harness.run { () throws(ActionUsageError) in try TicketActions.get(id: "1") }
            #expect(missing.code == 1)
            #expect(missing.errors.first?.hasPrefix("intercom-triggerd: ticket_not_found: Ticket not found") == true)
        }
    }

    /// `api ticket-types list` is how a user finds the id `tickets create` needs.
    @Test func listsTicketTypesWhoseIdsMakeTickets() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let contact = try server.workspace.createContact(role: "user", email: "t@example.com")
            let harness = ActionHarness(server: server)
            let listed = await harness.run { () throws(ActionUsageError) in TicketTypeActions.list() }
            #expect(listed.code == 0)
            let list = try listed.object()
            #expect(list["type"] as? String == "list")
            let types = try #require(list["data"] as? [[String: Any]])
            #expect(types.allSatisfy { $0["type"] as? String == "ticket_type" && $0["name"] is String })
            let typeID = try #require(types.last?["id"] as? String)

            let created = await harness.run { () throws(ActionUsageError) in
                try TicketActions.create(
                    ticketTypeID: typeID, contacts: #"[{"id":"\#(contact.id)"}]"#, attributes: "{}")
            }
            #expect(created.code == 0)
            #expect((try created.object()["ticket_type"] as? [String: Any])?["id"] as? String == typeID)

            let unknown = await harness.run { () throws(ActionUsageError) in
                try TicketActions.create(ticketTypeID: "999", contacts: #"[{"id":"\#(contact.id)"}]"#, attributes: "{}")
            }
            #expect(unknown.code == 1)
            #expect(
                unknown.errors.first?.hasPrefix("intercom-triggerd: parameter_invalid: Ticket type not found") == true)
        }
    }

    @Test func unknownContactIsIntercomsError() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try TicketActions.create(ticketTypeID: "1", contacts: #"[{"id":"nobody"}]"#, attributes: "{}")
            }
            #expect(result.code == 1)
            #expect(result.errors.first?.hasPrefix("intercom-triggerd: not_found: User Not Found") == true)
        }
    }
}
