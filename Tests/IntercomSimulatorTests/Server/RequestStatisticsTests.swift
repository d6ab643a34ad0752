import Foundation
import Testing

@testable import IntercomSimulator

@Suite struct RequestStatisticsTests {
    @Test(arguments: [
        ("/me", "/me"),
        ("/contacts", "/contacts"),
        ("/contacts/search", "/contacts/search"),
        ("/contacts/6762f0d01bb69f9f2193bb7d", "/contacts/{id}"),
        ("/contacts/6762f0d01bb69f9f2193bb7d/tags/17", "/contacts/{id}/tags/{id}"),
        ("/contacts/find_by_external_id/alice", "/contacts/find_by_external_id/{id}"),
        ("/conversations/471/reply", "/conversations/{id}/reply"),
        ("/companies/scroll", "/companies/scroll"),
        ("/", "/"),
    ])
    func templatesReplaceIds(path: String, template: String) {
        #expect(PathTemplate.template(for: path) == template)
    }

    @Test func countsApiRequestsByMethodTemplateAndStatus() async throws {
        try await withSimulator { server, client in
            _ = try await client.api("GET", "/contacts/6762f0d01bb69f9f2193bb7d", on: server)
            _ = try await client.api("GET", "/contacts/6762f0d01bb69f9f2193bb7e", on: server)
            _ = try await client.api("POST", "/contacts/search", on: server, json: #"{"query": {}}"#)
            _ = try await client.api("GET", "/contacts/abc123", on: server, token: "wrong")
            _ = try await client.control("GET", "/__sim/stats", on: server)

            #expect(server.totalRequestCount == 4)
            #expect(server.requestCount(method: "GET", pathTemplate: "/contacts/{id}") == 3)
            #expect(server.requestCount(method: "GET", pathTemplate: "/contacts/{id}", status: 401) == 1)
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/search") == 1)
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/{id}") == 0)
            #expect(server.requestCount(status: 401) == 1)

            let stats = try await client.control("GET", "/__sim/stats", on: server)
            #expect(stats.status == 200)
            let json = try #require(stats.json)
            #expect(json["total"] as? Int == 4)
            let byEndpoint = try #require(json["by_endpoint"] as? [String: Int])
            #expect(byEndpoint == ["GET /contacts/{id}": 3, "POST /contacts/search": 1])
            let byStatus = try #require(json["by_status"] as? [String: Int])
            #expect(byStatus["401"] == 1)
            #expect(byStatus.values.reduce(0, +) == 4)

            let reset = try await client.control("POST", "/__sim/stats/reset", on: server)
            #expect(reset.json?["total"] as? Int == 0)
            #expect(server.totalRequestCount == 0)
        }
    }

    @Test func resetForgetsEverything() {
        let statistics = RequestStatistics()
        statistics.record(method: "GET", path: "/me", status: 200)
        statistics.record(method: "GET", path: "/me", status: 200)
        #expect(statistics.count(method: "GET", pathTemplate: "/me", status: 200) == 2)
        statistics.reset()
        #expect(statistics.total == 0)
        #expect(statistics.snapshot.isEmpty)
    }
}
