import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// `api messages create` against the simulator.
@Suite struct MessageActionsTests {
    @Test(arguments: ["inapp", "email"])
    func sendsAMessage(_ type: String) async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let contact = try server.workspace.createContact(role: "user", email: "m@example.com")
            let harness = ActionHarness(server: server)
            let admin = try await harness.adminID()
            let result = await harness.run { () throws(ActionUsageError) in
                try MessageActions.create(
                    type: type, template: "personal", subject: "Welcome", body: "Hello!", fromAdmin: admin,
                    toContact: contact.id)
            }
            #expect(result.code == 0)
            let message = try result.object()
            #expect(message["type"] as? String == "admin_message")
            #expect(message["message_type"] as? String == type)
            #expect(message["conversation_id"] as? String != nil)
        }
    }

    @Test func unknownAdminIsIntercomsError() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let contact = try server.workspace.createContact(role: "lead", email: "m@example.com")
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try MessageActions.create(type: "inapp", body: "Hello!", fromAdmin: "0", toContact: contact.id)
            }
            #expect(result.code == 1)
            #expect(result.errors.first?.hasPrefix("intercom-triggerd: admin_not_found: Admin not found") == true)
        }
    }
}
