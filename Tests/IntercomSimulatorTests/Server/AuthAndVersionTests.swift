import Foundation
import IntercomSimulator
import Testing

@Suite struct AuthAndVersionTests {
    @Test(arguments: [nil, "Bearer wrong-token", "Basic c2ltLXRva2Vu", "Bearer", "sim-token"])
    func rejectsMissingOrWrongCredentialsWithIntercomsEnvelope(authorization: String?) async throws {
        try await withSimulator { server, client in
            var headers = ["Accept": "application/json"]
            if let authorization { headers["Authorization"] = authorization }
            let reply = try await client.send("GET", server.baseURL.appendingPathComponent("me"), headers: headers)

            #expect(reply.status == 401)
            #expect(reply.header("Content-Type") == "application/json")
            let json = try #require(reply.json)
            #expect(Set(json.keys) == ["type", "request_id", "errors"])
            #expect(json["type"] as? String == "error.list")
            #expect((json["request_id"] as? String)?.isEmpty == false)
            #expect(
                json["errors"] as? [[String: String]] == [["code": "unauthorized", "message": "Access Token Invalid"]])
            for name in ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"] {
                #expect(reply.header(name) == nil, "\(name) must not be sent without valid credentials")
            }
        }
    }

    @Test func acceptsTheConfiguredToken() async throws {
        var configuration = SimulatorConfiguration()
        configuration.token = "another-token"
        try await withSimulator(configuration) { server, client in
            let reply = try await client.api("GET", "/me", on: server, token: "another-token")
            #expect(reply.status != 401)
            #expect(reply.header("X-RateLimit-Limit") != nil)
            #expect(try await client.api("GET", "/me", on: server, token: "sim-token").status == 401)
        }
    }

    @Test(arguments: ["9.99", "2.17", "Preview", "latest"])
    func rejectsAnUnknownVersion(version: String) async throws {
        try await withSimulator { server, client in
            let reply = try await client.api("GET", "/me", on: server, version: version)
            #expect(reply.status == 400)
            #expect(reply.json?["type"] as? String == "error.list")
            #expect(
                reply.firstError == [
                    "code": "intercom_version_invalid", "message": "The requested version could not be found",
                ])
            // An authenticated response: it carries the rate-limit headers, without using the budget.
            #expect(reply.header("X-RateLimit-Limit") == "1667")
            #expect(reply.header("X-RateLimit-Remaining") == "1667")
        }
    }

    @Test(arguments: [nil, "2.16", "2.11", "2.0", "1.4"])
    func acceptsKnownVersionsAndNoVersion(version: String?) async throws {
        try await withSimulator { server, client in
            let reply = try await client.api("GET", "/me", on: server, version: version)
            #expect(reply.firstError?["code"] != "intercom_version_invalid")
            #expect(reply.status != 401)
            #expect(reply.header("X-RateLimit-Remaining") == "1666")
        }
    }
}
