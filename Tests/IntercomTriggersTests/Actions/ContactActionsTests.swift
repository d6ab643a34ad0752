import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// `api contacts …` against the simulator.
@Suite struct ContactActionsTests {
    @Test func createsGetsUpdatesAndDeletes() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let harness = ActionHarness(server: server)
            let created = await harness.run { () throws(ActionUsageError) in
                try ContactActions.create(
                    ContactFields(email: "ada@example.com", name: "Ada", customAttributes: #"{"plan":"pro"}"#))
            }
            #expect(created.code == 0)
            #expect(created.errors.isEmpty)
            let contact = try created.object()
            let id = try #require(contact["id"] as? String)
            #expect(contact["role"] as? String == "lead")
            #expect((contact["custom_attributes"] as? [String: Any])?["plan"] as? String == "pro")

            let updated = await harness.run { () throws(ActionUsageError) in
                try ContactActions.update(id: id, ContactFields(role: "user", phone: "+44 20 7946 0000"))
            }
            #expect(updated.code == 0)
            #expect(try updated.object()["role"] as? String == "user")

            let fetched = await harness.run(pretty: true) { () throws(ActionUsageError) in
                try ContactActions.get(id: id)
            }
            #expect(fetched.code == 0)
            #expect(fetched.output.out.contains("\n  \"phone\": \"+44 20 7946 0000\""))
            #expect(try fetched.object()["email"] as? String == "ada@example.com")

            let deleted = await harness.run { () throws(ActionUsageError) in try ContactActions.delete(id: id) }
            #expect(deleted.code == 0)
            #expect(try deleted.object()["deleted"] as? Bool == true)

            let gone = await harness.run { () throws(ActionUsageError) in try ContactActions.get(id: id) }
            #expect(gone.code == 1)
            #expect(gone.lines.isEmpty)
            #expect(gone.errors.count == 1)
            // Intercom's code and message, the status and the request id.
            #expect(gone.errors.first?.hasPrefix("intercom-triggerd: not_found: User Not Found (HTTP 404") == true)
        }
    }

    @Test func intercomRefusalIsReportedWithItsCode() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let harness = ActionHarness(server: server)
            let first = await harness.run { () throws(ActionUsageError) in
                try ContactActions.create(ContactFields(role: "user", email: "dup@example.com"))
            }
            #expect(first.code == 0)
            let second = await harness.run { () throws(ActionUsageError) in
                try ContactActions.create(ContactFields(role: "user", email: "dup@example.com"))
            }
            #expect(second.code == 1)
            #expect(second.errors.count == 1)
            #expect(second.errors.first?.hasPrefix("intercom-triggerd: conflict: A contact matching") == true)
        }
    }

    @Test func listsOnePageAsTheListObject() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 30)) { server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                ContactActions.list(try ListPaging(perPage: 10))
            }
            #expect(result.code == 0)
            #expect(result.lines.count == 1)
            let list = try result.object()
            #expect((list["data"] as? [Any])?.count == 10)
            #expect(list["total_count"] as? Int == 30)
        }
    }

    @Test func listAllStreamsEveryPageAsJSONLines() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 320)) { server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                ContactActions.list(try ListPaging(perPage: 50, all: true))
            }
            #expect(result.code == 0)
            let items = try result.objects()
            #expect(items.count == 320)
            #expect(Set(items.compactMap { $0["id"] as? String }).count == 320)
            #expect(items.allSatisfy { $0["type"] as? String == "contact" })
            #expect(server.requestCount(method: "GET", pathTemplate: "/contacts") == 7)
            // A progress line per page, then a summary, all on stderr.
            #expect(result.errors.count == 8)
            #expect(result.errors.first == "contacts: page 1, 50 of 320 so far")
            #expect(result.errors.last == "contacts: done, 320 in 7 pages")
        }
    }

    @Test func searchAllFollowsTheCursorInOrder() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 200)) { server in
            let query =
                #"{"operator":"OR","value":[{"field":"role","operator":"=","value":"user"},{"field":"role","operator":"=","value":"lead"}]}"#
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try ContactActions.search(
                    query: query, sortField: "created_at", sortOrder: "ascending",
                    try ListPaging(perPage: 40, all: true))
            }
            #expect(result.code == 0)
            let created = try result.objects().compactMap { $0["created_at"] as? Int }
            #expect(created.count == 200)
            #expect(created == created.sorted())
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/search") == 5)
            #expect(result.errors.last == "contacts: done, 200 in 5 pages")
        }
    }

    @Test func searchErrorFromIntercomExitsNonZero() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try ContactActions.search(
                    query: #"{"field":"no_such_field","operator":"=","value":"x"}"#, try ListPaging())
            }
            #expect(result.code == 1)
            #expect(result.lines.isEmpty)
            #expect(result.errors.count == 1)
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/search") == 1)
        }
    }
}
