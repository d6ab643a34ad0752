import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

@Suite struct ShutdownTests {
    static let body = #"{"type":"admin","id":"1"}"#

    static func client(
        _ transport: any HTTPTransport, perMinute: Int = 1000, retry: RetryPolicy = RetryPolicy()
    ) -> IntercomClient {
        IntercomClient(
            configuration: IntercomConfiguration(
                accessToken: "t", baseURL: URL(string: "http://127.0.0.1:9")!, maxRequestsPerMinute: perMinute,
                retryPolicy: retry),
            transport: transport, clock: SystemWallClock())
    }

    @Test func requestsAfterShutdownAreRefused() async throws {
        let transport = FakeTransport(body: Self.body)
        let client = Self.client(transport)
        _ = try await client.me()
        await client.shutdown()
        await #expect(throws: IntercomError.shutDown) { _ = try await client.me() }
        #expect(transport.requests.count == 1)
    }

    @Test func shutdownWakesABackoff() async throws {
        let transport = FakeTransport([.error(503, code: "service_unavailable", message: "down")])
        let client = Self.client(transport, retry: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(600), jitter: .none))
        let result = Task { try await client.me() }
        try await eventually { transport.requests.count == 1 }
        let started = ContinuousClock.now
        await client.shutdown()
        await #expect(throws: IntercomError.shutDown) { _ = try await result.value }
        // Far below the 600 s backoff: the wait was woken, not served (a hang guard, not a timing claim).
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(transport.requests.count == 1)
    }

    @Test func shutdownWakesARateLimitWait() async throws {
        let transport = FakeTransport(body: Self.body)
        let client = Self.client(transport, perMinute: 6)  // one request per 10-second window
        _ = try await client.me()
        let second = Task { try await client.me() }
        try await Task.sleep(for: .milliseconds(20))
        await client.shutdown()
        // Either it was still waiting (the usual case) or a new window had just opened.
        do {
            _ = try await second.value
            #expect(transport.requests.count == 2)
        } catch {
            #expect(error as? IntercomError == .shutDown)
            #expect(transport.requests.count == 1)
        }
    }

    @Test func cancellingTheCallerEndsItsWait() async throws {
        let transport = FakeTransport([.error(500, code: "server_error", message: "x")])
        let client = Self.client(transport, retry: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(600), jitter: .none))
        let task = Task { try await client.me() }
        try await eventually { transport.requests.count == 1 }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        // The client itself keeps working for other callers.
        #expect(transport.requests.count == 1)
    }

    @Test func shutdownLetsRequestsOnTheWireFinish() async throws {
        let transport = GateTransport(body: Self.body)
        let client = Self.client(transport)
        let inFlight = Task { try await client.me() }
        try await eventually { transport.entered == 1 }
        let returned = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await client.shutdown()
                returned.set()
            }
            // Once shutdown has begun (on a loaded machine the task may start late): it waits, and refuses new requests.
            try await eventually { client.lifecycle.isShutDown }
            try await Task.sleep(for: .milliseconds(50))
            #expect(!returned.value, "shutdown must wait for the request on the wire")
            await #expect(throws: IntercomError.shutDown) { _ = try await client.me() }
            transport.open()
            try await group.waitForAll()
        }
        #expect(returned.value)
        #expect(try await inFlight.value.id == "1")
        #expect(transport.entered == 1)
    }

    @Test func runningAsAServiceShutsDownWhenCancelled() async throws {
        let transport = FakeTransport(body: Self.body)
        let client = Self.client(transport)
        let service = Task { try await client.run() }
        _ = try await client.me()
        service.cancel()
        try await withDeadline(.seconds(10)) { try await service.value }
        await #expect(throws: IntercomError.shutDown) { _ = try await client.me() }
        #expect(transport.requests.count == 1)
    }

    final class Flag: Sendable {
        private let state = Mutex(false)
        var value: Bool { state.withLock { $0 } }
        func set() { state.withLock { $0 = true } }
    }
}
