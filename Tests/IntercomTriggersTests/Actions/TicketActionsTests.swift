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
                    ticketTypeID: "7", contacts: #"[{"id":"\#(contact.id)"}]"#,
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

    @Test func unknownContactIsIntercomsError() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try TicketActions.create(ticketTypeID: "7", contacts: #"[{"id":"nobody"}]"#, attributes: "{}")
            }
            #expect(result.code == 1)
            #expect(result.errors.first?.hasPrefix("intercom-triggerd: not_found: User Not Found") == true)
        }
    }
}
