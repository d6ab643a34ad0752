import Foundation
import Testing

@testable import IntercomSimulator

@Suite struct FaultTests {
    @Test func forcedFaultsApplyInOrderToTheNextRequests() async throws {
        try await withSimulator(clock: SimulatorClock(pinnedAt: midWindow)) { server, client in
            let set = try await client.control(
                "POST", "/__sim/faults", on: server, json: #"{"next": [503, 429, "truncate"]}"#)
            #expect(set.status == 200)
            #expect(server.pendingForcedFaults == [.status(503), .status(429), .truncate])

            let unavailable = try await client.api("GET", "/me", on: server)
            #expect(unavailable.status == 503)
            #expect(unavailable.json?["type"] as? String == "error.list")
            #expect(unavailable.firstError?["code"] == "service_unavailable")
            #expect(unavailable.header("X-RateLimit-Remaining") == "1666")

            let limited = try await client.api("GET", "/me", on: server)
            #expect(limited.status == 429)
            #expect(limited.firstError?["code"] == "rate_limit_exceeded")
            #expect(limited.header("X-RateLimit-Remaining") == "0")
            #expect(limited.header("X-RateLimit-Reset") == String(Int(midWindow) + 5))
            #expect(limited.header("Retry-After") == nil)

            let truncated = try await client.api("GET", "/me", on: server)
            let intact = try await client.api("GET", "/me", on: server)
            #expect(truncated.status == intact.status)
            #expect(intact.json != nil)
            #expect(truncated.json == nil)
            #expect(truncated.body.count == intact.body.count / 2)
            #expect(truncated.body.first == UInt8(ascii: "{"))
            #expect(server.pendingForcedFaults.isEmpty)
        }
    }

    @Test func forcedFaultsSkipRequestsRefusedEarlier() async throws {
        try await withSimulator { server, client in
            server.forceFaults([.status(500)])
            #expect(try await client.api("GET", "/me", on: server, token: "wrong").status == 401)
            #expect(try await client.api("GET", "/me", on: server, version: "0.1").status == 400)
            #expect(server.pendingForcedFaults == [.status(500)])
            let reply = try await client.api("GET", "/me", on: server)
            #expect(reply.status == 500)
            #expect(reply.firstError?["code"] == "server_error")
        }
    }

    @Test func randomServerErrorsAreSeededAndReproducible() async throws {
        var configuration = SimulatorConfiguration()
        configuration.faults = FaultSettings(serverErrorRate: 0.5)
        configuration.seed = 7
        var runs: [[Int]] = []
        for _ in 0..<2 {
            try await withSimulator(configuration) { server, client in
                var statuses: [Int] = []
                for _ in 0..<16 { statuses.append(try await client.api("GET", "/me", on: server).status) }
                runs.append(statuses)
            }
        }
        #expect(runs[0] == runs[1])
        let injected = runs[0].filter { FaultInjector.serverErrorStatuses.contains($0) }
        #expect(!injected.isEmpty)
        #expect(injected.count < runs[0].count)
    }

    @Test func truncatesAtTheConfiguredRate() async throws {
        var configuration = SimulatorConfiguration()
        configuration.faults = FaultSettings(truncatedBodyRate: 1)
        try await withSimulator(configuration) { server, client in
            let reply = try await client.api("GET", "/me", on: server)
            #expect(reply.json == nil)
            server.faults = .none
            let intact = try await client.api("GET", "/me", on: server)
            #expect(intact.json != nil)
            #expect(reply.body.count == intact.body.count / 2)
        }
    }

    @Test func addsLatency() async throws {
        var configuration = SimulatorConfiguration()
        configuration.faults = FaultSettings(latency: .milliseconds(150))
        try await withSimulator(configuration) { server, client in
            let clock = ContinuousClock()
            let delayed = try await clock.measure { _ = try await client.api("GET", "/me", on: server) }
            #expect(delayed >= .milliseconds(150))
        }
    }

    @Test func controlEndpointChangesAndReportsSettings() async throws {
        try await withSimulator { server, client in
            let reply = try await client.control(
                "POST", "/__sim/faults", on: server,
                json: #"{"error_rate": 0.25, "truncate_rate": 0.5, "latency_ms": 20, "seed": 3}"#)
            #expect(reply.status == 200)
            #expect(reply.json?["error_rate"] as? Double == 0.25)
            #expect(reply.json?["latency_ms"] as? Double == 20)
            #expect(
                server.faults
                    == FaultSettings(serverErrorRate: 0.25, latency: .milliseconds(20), truncatedBodyRate: 0.5))
            let read = try await client.control("GET", "/__sim/faults", on: server)
            #expect(read.json?["truncate_rate"] as? Double == 0.5)
        }
    }

    @Test(arguments: [
        #"{"error_rate": 1.5}"#, #"{"truncate_rate": -0.1}"#, #"{"latency_ms": "fast"}"#, #"{"next": [200]}"#,
        #"{"next": ["explode"]}"#, #"{"next": 503}"#, #"{"seed": -1}"#, #"{"eror_rate": 0.1}"#, "[1]", "not json",
    ])
    func controlEndpointRejectsBadSettingsAndChangesNothing(body: String) async throws {
        try await withSimulator { server, client in
            let reply = try await client.control("POST", "/__sim/faults", on: server, json: body)
            #expect(reply.status == 400)
            #expect(reply.firstError?["code"] == "parameter_invalid")
            #expect(server.faults == .none)
            #expect(server.pendingForcedFaults.isEmpty)
        }
    }

    @Test func sameSeedSameDecisionsDifferentSeedDifferentDecisions() {
        let settings = FaultSettings(serverErrorRate: 0.3, truncatedBodyRate: 0.2)
        func decisions(seed: UInt64) -> [FaultInjector.Decision] {
            let injector = FaultInjector(settings: settings, seed: seed)
            return (0..<1000).map { _ in injector.next() }
        }
        let first = decisions(seed: 42)
        #expect(first == decisions(seed: 42))
        #expect(first != decisions(seed: 43))
        // The proportions follow the rates (loosely: the sequence is fixed, the bounds just catch a broken draw).
        let errors = first.filter { $0.status != nil }.count
        let truncated = first.filter(\.truncate).count
        #expect((250...350).contains(errors))
        #expect((100...180).contains(truncated))  // 20 % of the 70 % that are not errors
        #expect(Set(first.compactMap(\.status)) == Set(FaultInjector.serverErrorStatuses))
    }

    @Test func reseedingRestartsTheSequence() {
        let injector = FaultInjector(settings: FaultSettings(serverErrorRate: 0.5), seed: 9)
        let before = (0..<50).map { _ in injector.next() }
        injector.reseed(9)
        #expect((0..<50).map { _ in injector.next() } == before)
    }
}
