import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// The Power Automate set — `api users upsert|get`, `api leads create|get|list` — against the simulator.
@Suite struct PersonActionsTests {
    @Test func upsertCreatesAUserWhenNoneHasTheEmail() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let harness = ActionHarness(server: server)
            let result = await harness.run { () throws(ActionUsageError) in
                try PersonActions.upsertUser(email: "new@example.com", name: "New", phone: "123")
            }
            #expect(result.code == 0)
            let user = try result.object()
            #expect(user["role"] as? String == "user")
            #expect(user["email"] as? String == "new@example.com")
            #expect(user["name"] as? String == "New")
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts") == 1)
            #expect(server.requestCount(method: "PUT", pathTemplate: "/contacts/{id}") == 0)

            let id = try #require(user["id"] as? String)
            let fetched = await harness.run { () throws(ActionUsageError) in try PersonActions.get(id: id) }
            #expect(try fetched.object()["phone"] as? String == "123")
        }
    }

    @Test func upsertUpdatesTheUserWithTheEmail() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 20)) { server in
            let existing = try server.workspace.createContact(role: "user", email: "Known@Example.com", name: "Old")
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try PersonActions.upsertUser(email: "known@example.com", name: "Renamed")
            }
            #expect(result.code == 0)
            let user = try result.object()
            #expect(user["id"] as? String == existing.id)
            #expect(user["name"] as? String == "Renamed")
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts") == 0)
            #expect(server.requestCount(method: "PUT", pathTemplate: "/contacts/{id}") == 1)
            #expect(server.workspace.contact(id: existing.id)?.name == "Renamed")
        }
    }

    @Test func upsertUpdatesAUserSearchCannotSeeYet() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            // Search lags writes: the create conflicts and names the user, which is then updated.
            let existing = try server.workspace.createContact(
                role: "user", email: "fresh@example.com", name: "Old", indexLag: 3600)
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try PersonActions.upsertUser(email: "fresh@example.com", name: "Renamed")
            }
            #expect(result.code == 0)
            #expect(try result.object()["id"] as? String == existing.id)
            #expect(server.workspace.contact(id: existing.id)?.name == "Renamed")
        }
    }

    @Test func companyIDAttachesTheNewLead() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let company = try #require(
                try JSONSerialization.jsonObject(
                    with: server.workspace.handle(
                        SimRequest(
                            method: "POST", path: "/companies", body: Data(#"{"company_id":"acme","name":"Acme"}"#.utf8)
                        )
                    ).body) as? [String: Any])
            let companyID = try #require(company["id"] as? String)
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try PersonActions.createLead(email: "joined@example.com", companyID: companyID)
            }
            #expect(result.code == 0, "\(result.errors)")
            let lead = try #require(try result.object()["id"] as? String)
            #expect(server.workspace.contact(id: lead)?.companyIDs == [companyID])
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/{id}/companies", status: 200) == 1)
        }
    }

    @Test func attachFailureIsReportedAfterTheContactIsPrinted() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try PersonActions.createLead(email: "l@example.com", companyID: "no-such-company")
            }
            #expect(result.code == 1)
            let printed = try result.object()
            #expect(printed["role"] as? String == "lead")
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.contains("was saved but not attached to company no-such-company") == true)
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/{id}/companies") == 1)
        }
    }

    @Test func createsGetsAndListsLeads() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            for index in 0..<7 { try server.workspace.createContact(role: "user", email: "u\(index)@example.com") }
            let harness = ActionHarness(server: server)
            var ids: [String] = []
            for index in 0..<12 {
                let created = await harness.run { () throws(ActionUsageError) in
                    try PersonActions.createLead(
                        email: "lead\(index)@example.com", name: "Lead \(index)", phone: "555",
                        imageURL: "https://example.com/\(index).png")
                }
                #expect(created.code == 0)
                ids.append(try #require(try created.object()["id"] as? String))
            }
            let fetched = await harness.run { () throws(ActionUsageError) in try PersonActions.get(id: ids[3]) }
            #expect(try fetched.object()["email"] as? String == "lead3@example.com")

            let listed = await harness.run { () throws(ActionUsageError) in
                PersonActions.listLeads(try ListPaging(perPage: 5, all: true))
            }
            #expect(listed.code == 0)
            let leads = try listed.objects()
            #expect(Set(leads.compactMap { $0["id"] as? String }) == Set(ids))
            #expect(leads.allSatisfy { $0["role"] as? String == "lead" })
            #expect(listed.errors.last == "leads: done, 12 in 3 pages")

            let missing = await harness.run { () throws(ActionUsageError) in try PersonActions.get(id: "missing") }
            #expect(missing.code == 1)
        }
    }
}
