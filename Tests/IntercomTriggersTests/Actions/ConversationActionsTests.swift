import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// `api conversations …` against the simulator.
@Suite struct ConversationActionsTests {
    /// A contact with a conversation it started.
    static func seedConversation(_ server: SimulatorServer) throws -> String {
        let contact = try server.workspace.createContact(role: "user", email: "c@example.com", name: "C")
        return try server.workspace.createConversation(contactID: contact.id, body: "<p>Hello <b>there</b></p>").id
    }

    @Test func getsAConversationAsPlainText() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let id = try Self.seedConversation(server)
            let harness = ActionHarness(server: server)
            let result = await harness.run { () throws(ActionUsageError) in
                try ConversationActions.get(id: id, plaintext: true, includeTranslations: true)
            }
            #expect(result.code == 0)
            let conversation = try result.object()
            #expect(conversation["id"] as? String == id)
            #expect((conversation["source"] as? [String: Any])?["body"] as? String == "Hello there")

            let missing = await harness.run { () throws(ActionUsageError) in try ConversationActions.get(id: "999999") }
            #expect(missing.code == 1)
            #expect(missing.errors.first?.hasPrefix("intercom-triggerd: not_found:") == true)
        }
    }

    @Test func listsAllConversationsAcrossPages() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 20, seedConversations: 130)) {
            server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try ConversationActions.list(sort: "updated_at", order: "desc", try ListPaging(perPage: 25, all: true))
            }
            #expect(result.code == 0)
            let ids = try result.objects().compactMap { $0["id"] as? String }
            #expect(ids.count == 130)
            #expect(Set(ids).count == 130)
            #expect(server.requestCount(method: "GET", pathTemplate: "/conversations") == 6)
            #expect(result.errors.last == "conversations: done, 130 in 6 pages")
        }
    }

    @Test func searchesConversations() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 20, seedConversations: 60)) {
            server in
            let harness = ActionHarness(server: server)
            let page = await harness.run { () throws(ActionUsageError) in
                try ConversationActions.search(
                    query: #"{"field":"created_at","operator":">","value":0}"#, sortField: "created_at",
                    sortOrder: "descending", try ListPaging(perPage: 20))
            }
            #expect(page.code == 0)
            let list = try page.object()
            #expect((list["conversations"] as? [Any])?.count == 20)
            #expect(list["total_count"] as? Int == 60)

            let refused = await harness.run { () throws(ActionUsageError) in
                try ConversationActions.search(
                    query: #"{"field":"created_at","operator":"~","value":0}"#, try ListPaging())
            }
            #expect(refused.code == 1)
            #expect(refused.errors.count == 1)
        }
    }

    @Test func repliesAsAGivenAdminOrTheTokensAdmin() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let id = try Self.seedConversation(server)
            let harness = ActionHarness(server: server)
            let admin = try await harness.adminID()
            let note = await harness.run { () throws(ActionUsageError) in
                try ConversationActions.reply(
                    id: id, type: "note", body: "Internal", adminID: admin,
                    attachmentURLs: ["https://example.com/a.png"])
            }
            #expect(note.code == 0)
            #expect(try note.object()["id"] as? String == id)
            #expect(server.requestCount(method: "GET", pathTemplate: "/me") == 1)

            let comment = await harness.run { () throws(ActionUsageError) in
                try ConversationActions.reply(id: id, type: "comment", body: "Thanks!")
            }
            #expect(comment.code == 0)
            #expect(server.requestCount(method: "GET", pathTemplate: "/me") == 2)
            #expect(server.requestCount(method: "POST", pathTemplate: "/conversations/{id}/reply", status: 200) == 2)

            let missing = await harness.run { () throws(ActionUsageError) in
                try ConversationActions.reply(id: "424242", type: "comment", body: "Hi", adminID: admin)
            }
            #expect(missing.code == 1)
            #expect(missing.errors.first?.hasPrefix("intercom-triggerd: not_found:") == true)
        }
    }
}
