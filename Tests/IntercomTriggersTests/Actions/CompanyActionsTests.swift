import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// `api companies …` against the simulator, including the 10,000-company list cap.
@Suite struct CompanyActionsTests {
    @Test func upsertsThenUpdatesByCompanyID() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let harness = ActionHarness(server: server)
            let created = await harness.run { () throws(ActionUsageError) in
                try CompanyActions.upsert(
                    CompanyFields(
                        companyID: "acme", name: "Acme", website: "https://acme.example", plan: "pro", size: 40,
                        industry: "Anvils", monthlySpend: 1234.99, customAttributes: #"{"tier":"gold"}"#,
                        remoteCreatedAt: 1_700_000_000))
            }
            #expect(created.code == 0)
            let company = try created.object()
            let id = try #require(company["id"] as? String)
            #expect(company["monthly_spend"] as? Int == 1234)
            #expect(company["name"] as? String == "Acme")

            let updated = await harness.run { () throws(ActionUsageError) in
                try CompanyActions.upsert(CompanyFields(companyID: "acme", name: "Acme Corp"))
            }
            #expect(try updated.object()["id"] as? String == id)

            let fetched = await harness.run { () throws(ActionUsageError) in try CompanyActions.get(id: id) }
            #expect(fetched.code == 0)
            #expect(try fetched.object()["name"] as? String == "Acme Corp")

            let missing = await harness.run { () throws(ActionUsageError) in try CompanyActions.get(id: "nope") }
            #expect(missing.code == 1)
            #expect(missing.errors.first?.hasPrefix("intercom-triggerd: company_not_found: Company Not Found") == true)
        }
    }

    @Test func listsOnePageAndAllPages() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 50, seedCompanies: 120)) { server in
            let harness = ActionHarness(server: server)
            let one = await harness.run { () throws(ActionUsageError) in try CompanyActions.list(page: 2, perPage: 20) }
            #expect(one.code == 0)
            #expect((try one.object()["data"] as? [Any])?.count == 20)

            let all = await harness.run { () throws(ActionUsageError) in try CompanyActions.list(perPage: 50, all: true)
            }
            #expect(all.code == 0)
            let ids = try all.objects().compactMap { $0["id"] as? String }
            #expect(ids.count == 120)
            #expect(Set(ids).count == 120)
            #expect(server.requestCount(method: "POST", pathTemplate: "/companies/list") == 4)
            #expect(server.requestCount(method: "GET", pathTemplate: "/companies/scroll") == 0)
            #expect(all.errors.last == "companies: done, 120 in 3 pages")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func listAllPastTheCapUsesTheScroll() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 100, seedCompanies: 10_050)) {
            server in
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try CompanyActions.list(all: true)
            }
            #expect(result.code == 0)
            let ids = try result.objects().compactMap { $0["id"] as? String }
            #expect(ids.count == 10_050)
            #expect(Set(ids).count == 10_050)
            #expect(server.requestCount(method: "POST", pathTemplate: "/companies/list") == 1)
            // 50 a page, then the empty page that ends the scroll.
            #expect(server.requestCount(method: "GET", pathTemplate: "/companies/scroll") == 202)
            #expect(result.errors.first?.contains("using the scroll API") == true)
            #expect(result.errors.last == "companies: done, 10050 through the scroll API in 201 pages")
        }
    }
}
