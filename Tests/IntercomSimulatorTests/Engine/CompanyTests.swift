import Testing

@testable import IntercomSimulator

/// Companies: upsert on `company_id`, page-numbered lists capped at 10,000 records, and the one scroll.
@Suite struct CompanyTests {
    @Test(arguments: [
        ("GET", "/companies", 50, 200, 200), ("GET", "/companies", 50, 201, 400),
        ("POST", "/companies/list", 60, 166, 200),
        ("POST", "/companies/list", 60, 167, 400), ("POST", "/companies/list", 15, 667, 400),
    ])
    func listsStopAtTenThousandRecords(method: String, path: String, perPage: Int, page: Int, status: Int) {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 0, conversations: 0, companies: 10_050)
        let answer = harness.call(method, path, query: ["per_page": "\(perPage)", "page": "\(page)"])
        #expect(answer.status == status)
        if status == 400 {
            let details = errorDetails(answer.json)
            #expect(details.code == "bad_request")
            #expect(details.message == "page limit reached, please use scroll API")
        } else {
            #expect(answer.json["data"]?.arrayValue?.count == perPage)
            #expect(answer.json["pages"]?["page"]?.intValue == page)
            #expect(answer.json["total_count"]?.intValue == 10_050)
        }
    }

    @Test func scrollWalksEveryCompanyAndEndsWithEmptyData() throws {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 0, conversations: 0, companies: 120)
        var seen: [String] = []
        var answer = harness.call("GET", "/companies/scroll")
        let param = try #require(answer.json["scroll_param"]?.stringValue)
        #expect(answer.json["pages"] == .null)
        #expect(answer.json["total_count"] == .null)
        while let data = answer.json["data"]?.arrayValue, !data.isEmpty, seen.count < 1_000 {
            seen += EngineHarness.ids(answer.json)
            harness.clock.advance(by: 59)  // each call keeps the scroll alive
            answer = harness.call("GET", "/companies/scroll", query: ["scroll_param": param])
            try #require(answer.status == 200)
        }
        #expect(seen.count == 120)
        #expect(Set(seen).count == 120)
        // The finished scroll is closed: a new one may start.
        #expect(harness.call("GET", "/companies/scroll").status == 200)
    }

    @Test func onlyOneScrollAtATime() throws {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 0, conversations: 0, companies: 80)
        let first = harness.call("GET", "/companies/scroll")
        #expect(first.status == 200)
        let second = harness.call("GET", "/companies/scroll")
        #expect(second.status == 400)
        #expect(errorDetails(second.json).code == "scroll_exists")
    }

    @Test func scrollExpiresAfterSixtyIdleSeconds() throws {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 0, conversations: 0, companies: 80)
        let param = try #require(harness.call("GET", "/companies/scroll").json["scroll_param"]?.stringValue)
        harness.clock.advance(by: 60)
        #expect(harness.call("GET", "/companies/scroll", query: ["scroll_param": param]).status == 200)
        harness.clock.advance(by: 61)
        let expired = harness.call("GET", "/companies/scroll", query: ["scroll_param": param])
        #expect(expired.status == 404)
        #expect(errorDetails(expired.json).message == "scroll parameter not found")
        // Expiry frees the workspace's one scroll.
        #expect(harness.call("GET", "/companies/scroll").status == 200)
    }

    @Test func createOrUpdateOnCompanyID() throws {
        let harness = EngineHarness()
        let created = harness.call(
            "POST", "/companies", body: #"{"company_id":"acme-1","name":"Acme","plan":"Pro","monthly_spend":99.9}"#)
        #expect(created.status == 200)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(id.count == 24)
        #expect(created.json["monthly_spend"]?.intValue == 99)
        #expect(created.json["plan"]?["name"]?.stringValue == "Pro")
        harness.clock.advance(by: 5)
        let updated = harness.call("POST", "/companies", body: #"{"company_id":"acme-1","name":"Acme Inc"}"#)
        #expect(updated.json["id"]?.stringValue == id)
        #expect(updated.json["name"]?.stringValue == "Acme Inc")
        #expect(updated.json["updated_at"]?.intValue == (created.json["updated_at"]?.intValue ?? 0) + 5)
        #expect(harness.call("GET", "/companies/\(id)").json["name"]?.stringValue == "Acme Inc")
        let byCompanyID = harness.call("GET", "/companies", query: ["company_id": "acme-1"]).json
        #expect(byCompanyID["type"]?.stringValue == "list")
        #expect(EngineHarness.ids(byCompanyID) == [id])
        // A company with no users exists but is not listed (the spec's note on listAllCompanies).
        #expect(!EngineHarness.ids(harness.call("POST", "/companies/list").json).contains(id))
        let missing = harness.call("GET", "/companies/nope")
        #expect(missing.status == 404)
        #expect(errorDetails(missing.json).code == "company_not_found")
        #expect(errorDetails(missing.json).message == "Company Not Found")
    }
}
