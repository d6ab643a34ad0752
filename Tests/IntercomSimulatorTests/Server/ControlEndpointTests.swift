import Foundation
import Testing

@testable import IntercomSimulator

@Suite struct ControlEndpointTests {
    @Test func clockCanBePinnedAdvancedAndReleased() async throws {
        try await withSimulator { server, client in
            let pinned = try await client.control("POST", "/__sim/clock", on: server, json: #"{"pin": 1700000000}"#)
            #expect(pinned.status == 200)
            #expect(pinned.json?["now"] as? Double == 1_700_000_000)
            #expect(server.clock.now() == 1_700_000_000)

            let advanced = try await client.control("POST", "/__sim/clock", on: server, json: #"{"advance": 90.5}"#)
            #expect(advanced.json?["now"] as? Double == 1_700_000_090.5)
            #expect(
                try await client.control("GET", "/__sim/clock", on: server).json?["now"] as? Double == 1_700_000_090.5)

            let released = try await client.control("POST", "/__sim/clock", on: server, json: #"{"release": true}"#)
            let now = try #require(released.json?["now"] as? Double)
            #expect(abs(now - Date().timeIntervalSince1970) < 60)
        }
    }

    @Test(arguments: [#"{"pin": "soon"}"#, #"{"advance": true}"#, #"{"release": 1}"#, #"{"stop": true}"#])
    func clockRejectsBadValues(body: String) async throws {
        try await withSimulator(clock: SimulatorClock(pinnedAt: midWindow)) { server, client in
            let reply = try await client.control("POST", "/__sim/clock", on: server, json: body)
            #expect(reply.status == 400)
            #expect(reply.firstError?["code"] == "parameter_invalid")
            #expect(server.clock.now() == midWindow)
        }
    }

    @Test func rateLimitCanBeChanged() async throws {
        try await withSimulator(clock: SimulatorClock(pinnedAt: midWindow)) { server, client in
            let set = try await client.control("POST", "/__sim/rate_limit", on: server, json: #"{"per_window": 2}"#)
            #expect(set.status == 200)
            #expect(set.json?["per_window"] as? Int == 2)
            #expect(server.rateLimitPerWindow == 2)
            _ = try await client.api("GET", "/me", on: server)
            let last = try await client.api("GET", "/me", on: server)
            #expect(last.header("X-RateLimit-Limit") == "2")
            #expect(last.header("X-RateLimit-Remaining") == "0")
            #expect(try await client.api("GET", "/me", on: server).status == 429)

            let reset = try await client.control(
                "POST", "/__sim/rate_limit", on: server, json: #"{"reset_window": true}"#)
            #expect(reset.json?["remaining"] as? Int == 2)
            #expect(try await client.api("GET", "/me", on: server).status != 429)
        }
    }

    @Test(arguments: [#"{"per_window": 0}"#, #"{"per_window": 2.5}"#, #"{"per_window": true}"#, #"{"limit": 5}"#])
    func rateLimitRejectsBadValues(body: String) async throws {
        try await withSimulator { server, client in
            let reply = try await client.control("POST", "/__sim/rate_limit", on: server, json: body)
            #expect(reply.status == 400)
            #expect(server.rateLimitPerWindow == 1667)
        }
    }

    @Test func otherControlPathsGoToTheWorkspaceWithoutAuthOrCounting() async throws {
        try await withSimulator { server, client in
            let reply = try await client.control("POST", "/__sim/no_such_control", on: server, json: "{}")
            #expect(reply.status != 401)
            #expect(reply.header("X-RateLimit-Limit") == nil)
            #expect(reply.header("Content-Type") == "application/json")
            #expect(server.totalRequestCount == 0)

            // The body is the workspace's to judge: the HTTP layer does not insist on a JSON object.
            let array = try await client.control("POST", "/__sim/no_such_control", on: server, json: "[]")
            #expect(array.firstError?["message"] != "The body must be a JSON object")
        }
    }

    @Test(arguments: [
        (
            "per_page=150&starting_after=WzE3MDc5MzAwODEwMDAsMTMxLDJd",
            ["per_page": "150", "starting_after": "WzE3MDc5MzAwODEwMDAsMTMxLDJd"]
        ),
        ("email=a%2Bb%40example.com", ["email": "a+b@example.com"]),
        ("name=Joe+Bloggs&name=Jane", ["name": "Jane"]),
        ("flag&=ignored", ["flag": ""]),
    ])
    func decodesQueryStrings(query: String, expected: [String: String]) {
        #expect(SimulatorResponder.decodeQuery(query) == expected)
    }
}
