import Foundation
import Synchronization
import Testing

@testable import IntercomSimulator

/// One simulator serving several workspaces: routing by token, isolation of data, timezones, rate limits,
/// faults and statistics, the `?workspace=` selector of the controls, and workspaces made on first use.
@Suite struct MultiWorkspaceTests {
    /// A simulator with `count` workspaces on a pinned clock.
    private func withWorkspaces(
        _ count: Int, rateLimit: Int = 1667, seedContacts: Int = 0,
        _ body: (SimulatorServer, TestHTTPClient) async throws -> Void
    ) async throws {
        let configuration = SimulatorConfiguration(
            workspaceCount: count, rateLimitPerWindow: rateLimit, seedContacts: seedContacts)
        try await withSimulator(configuration, clock: SimulatorClock(pinnedAt: midWindow), body)
    }

    private func token(_ number: Int) -> String { "sim-token-\(number)" }

    @Test func routesByTokenAndNeverMixesData() async throws {
        try await withWorkspaces(3) { server, client in
            var appIDs: [String] = []
            for number in 1...3 {
                let me = try await client.api("GET", "/me", on: server, token: token(number))
                #expect(me.status == 200)
                let app = try #require(me.json?["app"] as? [String: Any])
                appIDs.append(try #require(app["id_code"] as? String))
            }
            #expect(appIDs[0] == WorkspaceConfiguration().workspaceID)
            #expect(Set(appIDs).count == 3)

            let created = try await client.api(
                "POST", "/contacts", on: server, token: token(2), json: #"{"role":"user","email":"two@example.com"}"#)
            #expect(created.status == 200)
            let id = try #require(created.json?["id"] as? String)
            #expect(created.json?["workspace_id"] as? String == appIDs[1])

            #expect(try await client.api("GET", "/contacts/\(id)", on: server, token: token(2)).status == 200)
            for other in [1, 3] {
                #expect(try await client.api("GET", "/contacts/\(id)", on: server, token: token(other)).status == 404)
                let search = try await client.api(
                    "POST", "/contacts/search", on: server, token: token(other),
                    json: #"{"query":{"field":"email","operator":"=","value":"two@example.com"}}"#)
                #expect(search.json?["total_count"] as? Int == 0)
            }
            #expect(server.hostedWorkspace(2).workspace.counts.contacts == 1)
            #expect(server.workspace.counts.contacts == 0)
            #expect(server.hostedWorkspace(3).workspace.counts.contacts == 0)
        }
    }

    @Test func idsNeverRepeatAcrossWorkspaces() async throws {
        try await withWorkspaces(2) { server, _ in
            // Same second, same position in each workspace: Intercom's ids would still differ, and so do ours.
            let first = try server.hostedWorkspace(1).workspace.createContact(email: "a@example.com")
            let second = try server.hostedWorkspace(2).workspace.createContact(email: "a@example.com")
            #expect(first.id != second.id)
            let firstConversation = try server.hostedWorkspace(1).workspace.createConversation(
                contactID: first.id, body: "Hi")
            let secondConversation = try server.hostedWorkspace(2).workspace.createConversation(
                contactID: second.id, body: "Hi")
            #expect(firstConversation.id != secondConversation.id)
        }
    }

    @Test(arguments: [
        "sim-token-4", "sim-token-0", "sim-token-01", "sim-token-", "sim-token-2x", "sim-token--2", "other-2",
        "sim-token-99999999999999999999",
    ])
    func refusesTokensOfNoWorkspace(token: String) async throws {
        try await withWorkspaces(3) { server, client in
            let reply = try await client.api("GET", "/me", on: server, token: token)
            #expect(reply.status == 401)
            #expect(reply.firstError == ["code": "unauthorized", "message": "Access Token Invalid"])
            #expect(reply.header("X-RateLimit-Limit") == nil)
            // Counted with workspace 1, as a single-workspace simulator counted every refused request.
            #expect(server.requestCount(status: 401) == 1)
            #expect(server.hostedWorkspace(2).statistics.total == 0)
        }
    }

    @Test func thePlainTokenIsAnAliasOfWorkspaceOne() async throws {
        try await withWorkspaces(2) { server, client in
            let created = try await client.api(
                "POST", "/contacts", on: server, token: "sim-token", json: #"{"role":"lead","email":"l@example.com"}"#)
            let id = try #require(created.json?["id"] as? String)
            #expect(try await client.api("GET", "/contacts/\(id)", on: server, token: token(1)).status == 200)
            #expect(try await client.api("GET", "/contacts/\(id)", on: server, token: token(2)).status == 404)
            #expect(server.token == "sim-token")
            #expect(server.hostedWorkspace(1).token == "sim-token-1")
            #expect(server.hostedWorkspace(2).token == "sim-token-2")
            #expect(server.hostedWorkspace(1).statistics.total == 2)
        }
    }

    @Test func eachWorkspaceMatchesContactDatesByItsOwnCalendarDays() async throws {
        // 20:00 on 15 January in Los Angeles (workspace 1) is 09:30 on the 16th in Kolkata (workspace 2).
        let created = EngineHarness.local(2026, 1, 15, 20, 0, 0)
        let noonUTC = EngineHarness.local(2026, 1, 16, 12, 0, 0, timezone: "UTC")
        let expected: [(timezone: String, matches: Bool)] = [("America/Los_Angeles", false), ("Asia/Kolkata", true)]
        try await withWorkspaces(2) { server, client in
            for (index, want) in expected.enumerated() {
                let number = index + 1
                let me = try await client.api("GET", "/me", on: server, token: token(number))
                #expect((me.json?["app"] as? [String: Any])?["timezone"] as? String == want.timezone)
                let contact = try await client.control(
                    "POST", "/__sim/contacts?workspace=\(number)", on: server,
                    json: #"{"role":"user","email":"d@example.com","created_at":\#(created)}"#)
                #expect(contact.status == 200)
                // "Created on the day of 16 January, noon UTC": the 16th in both zones, the record's day differs.
                let search = try await client.api(
                    "POST", "/contacts/search", on: server, token: token(number),
                    json: #"{"query":{"field":"created_at","operator":"=","value":\#(noonUTC)}}"#)
                #expect(search.json?["total_count"] as? Int == (want.matches ? 1 : 0), "workspace \(number)")
            }
        }
    }

    @Test func rateLimitsAreCountedPerWorkspace() async throws {
        try await withWorkspaces(2, rateLimit: 2) { server, client in
            for _ in 0..<2 { #expect(try await client.api("GET", "/me", on: server, token: token(1)).status == 200) }
            #expect(try await client.api("GET", "/me", on: server, token: token(1)).status == 429)

            let other = try await client.api("GET", "/me", on: server, token: token(2))
            #expect(other.status == 200)
            #expect(other.header("X-RateLimit-Remaining") == "1")

            let changed = try await client.control(
                "POST", "/__sim/rate_limit?workspace=2", on: server, json: #"{"per_window": 50}"#)
            #expect(changed.json?["per_window"] as? Int == 50)
            #expect(server.hostedWorkspace(2).rateLimitPerWindow == 50)
            #expect(server.rateLimitPerWindow == 2)
            #expect(try await client.api("GET", "/me", on: server, token: token(2)).status == 200)
            #expect(try await client.api("GET", "/me", on: server, token: token(1)).status == 429)
        }
    }

    /// (faults posted to workspace 2, what its requests then answer).
    static let faultCases: [(String, ClosedRange<Int>)] = [
        (#"{"revoked": true}"#, 401...401),
        (#"{"error_rate": 1}"#, 500...504),
        (#"{"next": [429, 429]}"#, 429...429),
    ]

    @Test(arguments: faultCases)
    func faultsOfOneWorkspaceLeaveTheOthersAlone(faults: String, statuses: ClosedRange<Int>) async throws {
        try await withWorkspaces(3) { server, client in
            let set = try await client.control("POST", "/__sim/faults?workspace=2", on: server, json: faults)
            #expect(set.status == 200)
            for _ in 0..<2 {
                let faulted = try await client.api("GET", "/me", on: server, token: token(2))
                #expect(statuses.contains(faulted.status))
                for other in [1, 3] {
                    #expect(try await client.api("GET", "/me", on: server, token: token(other)).status == 200)
                }
            }
            #expect(server.faults == .none)
            #expect(server.hostedWorkspace(3).faults == .none)
            let read = try await client.control("GET", "/__sim/faults?workspace=1", on: server)
            #expect(read.json?["revoked"] as? Bool == false)
        }
    }

    @Test func configuredFaultsApplyToTheirWorkspaceOnly() async throws {
        var configuration = SimulatorConfiguration(workspaceCount: 3)
        configuration.workspaceFaults = [2: FaultSettings(serverErrorRate: 1)]
        try await withSimulator(configuration) { server, client in
            var statuses: [Int] = []
            for number in 1...3 {
                statuses.append(try await client.api("GET", "/me", on: server, token: token(number)).status)
            }
            #expect(statuses[0] == 200 && statuses[2] == 200)
            #expect(FaultInjector.serverErrorStatuses.contains(statuses[1]))
            #expect(server.hostedWorkspace(2).faults == FaultSettings(serverErrorRate: 1))
        }
    }

    @Test func aRevokedTokenUsesNoBudgetAndCanBeRestored() async throws {
        try await withWorkspaces(2, rateLimit: 5) { server, client in
            server.hostedWorkspace(2).faults.tokenRevoked = true
            let refused = try await client.api("GET", "/me", on: server, token: token(2))
            #expect(refused.status == 401)
            #expect(refused.header("X-RateLimit-Remaining") == nil)
            #expect(server.hostedWorkspace(2).statistics.count(status: 401) == 1)

            let restored = try await client.control(
                "POST", "/__sim/faults?workspace=2", on: server, json: #"{"revoked": false}"#)
            #expect(restored.json?["revoked"] as? Bool == false)
            let reply = try await client.api("GET", "/me", on: server, token: token(2))
            #expect(reply.status == 200)
            #expect(reply.header("X-RateLimit-Remaining") == "4")
        }
    }

    @Test func aDelayedWorkspaceDoesNotDelayTheOthers() async throws {
        try await withWorkspaces(2) { server, client in
            let set = try await client.control(
                "POST", "/__sim/faults?workspace=2", on: server, json: #"{"latency_ms": 4000}"#)
            #expect(set.json?["latency_ms"] as? Double == 4000)
            let clock = ContinuousClock()
            let started = clock.now
            let slowAnswered = Mutex(false)
            async let slow = {
                let reply = try await client.api("GET", "/me", on: server, token: token(2))
                slowAnswered.withLock { $0 = true }
                return reply
            }()
            // Workspace 1 answers while workspace 2's request is still waiting (no time limit on it: a loaded
            // machine may take seconds, but not the 4 s the other one is held).
            let fast = try await client.api("GET", "/me", on: server, token: token(1))
            #expect(fast.status == 200)
            #expect(!slowAnswered.withLock { $0 })
            #expect(try await slow.status == 200)
            #expect(started.duration(to: clock.now) >= .milliseconds(4000))
        }
    }

    @Test func controlsActOnTheSelectedWorkspace() async throws {
        try await withWorkspaces(3) { server, client in
            let seeded = try await client.control(
                "POST", "/__sim/seed?workspace=2", on: server, json: #"{"contacts": 4, "companies": 1}"#)
            #expect(seeded.json?["contacts"] as? Int == 4)
            #expect(try await client.control("GET", "/__sim/counts", on: server).json?["contacts"] as? Int == 0)
            let two = try await client.control("GET", "/__sim/counts?workspace=2", on: server)
            #expect(two.json?["contacts"] as? Int == 4)

            _ = try await client.api("GET", "/me", on: server, token: token(2))
            _ = try await client.api("GET", "/me", on: server, token: token(2))
            _ = try await client.api("GET", "/me", on: server, token: token(3))
            let stats = try await client.control("GET", "/__sim/stats?workspace=2", on: server)
            #expect(stats.json?["total"] as? Int == 2)
            #expect(try await client.control("GET", "/__sim/stats", on: server).json?["total"] as? Int == 0)

            let all = try #require(try await client.control("GET", "/__sim/stats?workspace=all", on: server).json)
            #expect(all["total"] as? Int == 3)
            let byWorkspace = try #require(all["workspaces"] as? [String: [String: Any]])
            #expect(Set(byWorkspace.keys) == ["2", "3"])
            #expect(byWorkspace["2"]?["total"] as? Int == 2)
            #expect(byWorkspace["3"]?["by_status"] as? [String: Int] == ["200": 1])

            let counts = try #require(try await client.control("GET", "/__sim/counts?workspace=all", on: server).json)
            #expect(counts["contacts"] as? Int == 4)
            #expect(counts["companies"] as? Int == 1)
            let countsByWorkspace = try #require(counts["workspaces"] as? [String: Any])
            #expect(Set(countsByWorkspace.keys) == ["2"])

            let reset = try await client.control("POST", "/__sim/stats/reset?workspace=all", on: server)
            #expect(reset.json?["total"] as? Int == 0)
            #expect(server.hostedWorkspace(2).statistics.total == 0)

            let emptied = try await client.control("POST", "/__sim/reset?workspace=2", on: server)
            #expect(emptied.json?["contacts"] as? Int == 0)
        }
    }

    @Test(arguments: [
        ("/__sim/faults", "0"), ("/__sim/faults", "4"), ("/__sim/faults", "-1"), ("/__sim/faults", "two"),
        ("/__sim/faults", ""), ("/__sim/faults", "01"), ("/__sim/faults", "1.0"), ("/__sim/faults", " 2"),
        ("/__sim/faults", "99999999999999999999"), ("/__sim/faults", "all"), ("/__sim/seed", "all"),
        ("/__sim/clock", "4"), ("/__sim/stats", "ALL"),
    ])
    func refusesABadSelectorAndChangesNothing(path: String, selector: String) async throws {
        try await withWorkspaces(3) { server, client in
            let encoded = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
            let reply = try await client.control(
                "POST", "\(path)?workspace=\(encoded)", on: server, json: #"{"error_rate": 1, "contacts": 3}"#)
            #expect(reply.status == 400)
            #expect(reply.firstError?["code"] == "parameter_invalid")
            #expect(reply.firstError?["field"] == "workspace")
            for number in 1...3 {
                #expect(server.hostedWorkspace(number).faults == .none)
                #expect(server.hostedWorkspace(number).workspace.counts.contacts == 0)
            }
        }
    }

    @Test func aWorkspaceMadeLateHoldsWhatItWouldHaveHeldFromTheStart() async throws {
        /// Workspace `number`'s seeded contacts as search shows them ("id created_at updated_at email"), asked
        /// for the first time `delay` seconds after the start.
        func seeded(_ number: Int, after delay: Double) async throws -> Set<String> {
            var records: Set<String> = []
            try await withWorkspaces(3, seedContacts: 6) { server, client in
                server.clock.advance(by: delay)
                let search = try await client.api(
                    "POST", "/contacts/search", on: server, token: token(number),
                    json: #"{"query":{"field":"created_at","operator":">","value":0},"pagination":{"per_page":50}}"#)
                let data = try #require(search.json?["data"] as? [[String: Any]])
                records = Set(
                    data.map { contact in
                        ["id", "created_at", "updated_at", "email"].map { "\(contact[$0] ?? "-")" }.joined(
                            separator: " ")
                    })
            }
            return records
        }
        let early = try await seeded(3, after: 0)
        let late = try await seeded(3, after: 86_400)
        #expect(early.count == 6)
        #expect(early == late)
        // Another workspace has seed data of its own.
        let other = try await seeded(2, after: 0)
        #expect(other.count == 6)
        #expect(other.isDisjoint(with: early))
    }

    @Test(arguments: ["ecahpwf5", "abcd0xyz", "ab", "abcd"])
    func appIDsAreDistinctFromEachOtherAndFromTheBase(base: String) {
        let ids = (2...SimulatorConfiguration.workspaceCounts.upperBound).map {
            SimulatorConfiguration.appID(base: base, number: $0)
        }
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains(base))
        #expect(ids.allSatisfy { $0.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) } })
    }

    @Test(arguments: [(0, 1), (1, 1), (2, 2), (10_000, 10_000), (10_001, 10_000)])
    func theWorkspaceCountIsClamped(requested: Int, served: Int) {
        #expect(SimulatorConfiguration(workspaceCount: requested).servedWorkspaceCount == served)
    }

    @Test func aSingleWorkspaceSimulatorKnowsNoOtherToken() async throws {
        try await withSimulator { server, client in
            #expect(server.workspaceCount == 1)
            #expect(try await client.api("GET", "/me", on: server, token: "sim-token-1").status == 200)
            #expect(try await client.api("GET", "/me", on: server, token: "sim-token-2").status == 401)
            #expect(try await client.control("GET", "/__sim/stats?workspace=2", on: server).status == 400)
            let me = try await client.api("GET", "/me", on: server)
            let app = try #require(me.json?["app"] as? [String: Any])
            #expect(app["id_code"] as? String == "ecahpwf5")
            #expect(app["timezone"] as? String == "America/Los_Angeles")
        }
    }
}
