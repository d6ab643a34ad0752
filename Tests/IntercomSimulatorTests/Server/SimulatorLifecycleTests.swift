import Foundation
import ServiceLifecycle
import Testing

@testable import IntercomSimulator

@Suite struct SimulatorLifecycleTests {
    @Test func bindsLoopbackOnAnyPortAndReportsIt() async throws {
        try await withSimulator { server, client in
            #expect(server.port > 0)
            #expect(server.baseURL.absoluteString == "http://127.0.0.1:\(server.port)")
            let reply = try await client.api("GET", "/me", on: server)
            #expect(reply.status != 401)
        }
    }

    @Test func seedsAndConfiguresTheWorkspaceBeforeListening() async throws {
        var configuration = SimulatorConfiguration()
        configuration.workspace.timezone = "Europe/Dublin"
        configuration.seedContacts = 3
        configuration.seedConversations = 2
        configuration.seedCompanies = 1
        try await withSimulator(configuration) { server, client in
            let counts = server.workspace.counts
            let seeded: [Int] = [counts.contacts, counts.conversations, counts.companies]
            #expect(seeded == [3, 2, 1])
            let me = try await client.api("GET", "/me", on: server)
            #expect((me.json?["app"] as? [String: Any])?["timezone"] as? String == "Europe/Dublin")
        }
    }

    @Test func withRunningReturnsPromptlyAndClosesThePort() async throws {
        let client = TestHTTPClient()
        let clock = ContinuousClock()
        var url: URL?
        let elapsed = try await clock.measure {
            url = try await SimulatorServer.withRunning { server in
                // Leave a keep-alive connection open: shutting down must not wait for the client to drop it.
                _ = try await client.api("GET", "/me", on: server)
                return server.baseURL
            }
        }
        // A hang guard, not a timing claim: a shutdown that waited for the idle keep-alive would never end.
        #expect(elapsed < .seconds(60))
        let stopped = try #require(url)
        await #expect(throws: (any Error).self) {
            _ = try await TestHTTPClient().send("GET", stopped.appendingPathComponent("me"))
        }
    }

    @Test func failsWhenThePortIsTaken() async throws {
        try await withSimulator { server, _ in
            var configuration = SimulatorConfiguration()
            configuration.port = server.port
            var ranBody = false
            await #expect(throws: (any Error).self) {
                try await SimulatorServer.withRunning(configuration) { _ in ranBody = true }
            }
            #expect(!ranBody)
        }
    }

    @Test func rethrowsWhatTheBodyThrowsAfterStopping() async throws {
        struct Expected: Error {}
        var port = 0
        await #expect(throws: Expected.self) {
            try await SimulatorServer.withRunning { server in
                port = server.port
                throw Expected()
            }
        }
        let client = TestHTTPClient()
        await #expect(throws: (any Error).self) {
            _ = try await client.send("GET", URL(string: "http://127.0.0.1:\(port)/me")!)
        }
    }

    @Test func runsAsAServiceInAServiceGroup() async throws {
        let readyURLs = AsyncStream.makeStream(of: URL.self)
        let service = SimulatorService(onReady: { server in readyURLs.continuation.yield(server.baseURL) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: SimulatorConfiguration().logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = readyURLs.stream.makeAsyncIterator()
            let url = try #require(await iterator.next())
            let server = try await service.server()
            #expect(server.baseURL == url)

            let client = TestHTTPClient()
            #expect(try await client.api("GET", "/me", on: server).status != 401)
            #expect(server.totalRequestCount == 1)

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("0.0.0.0", "127.0.0.1"), ("::", "[::1]"), ("::1", "[::1]"),
        ("localhost", "localhost"),
    ])
    func baseURLUsesAConnectableHost(bind: String, host: String) {
        #expect(SimulatorServer.urlHost(bind) == host)
    }
}
