import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import IntercomTriggers

/// ``MetricsServer`` over HTTP with a fake ``MetricsSource``.
@Suite struct MetricsServerTests {
    /// Answers what the test sets.
    final class FakeSource: MetricsSource {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "the store is gone" }
        }

        let text = Mutex<String?>("# TYPE x counter\nx 1\n")
        let verdict = Mutex(HealthCheck.Verdict(reasons: []))

        func exposition() throws -> [UInt8] {
            guard let text = text.withLock({ $0 }) else { throw Failure() }
            return Array(text.utf8)
        }

        func health() throws -> HealthCheck.Verdict { verdict.withLock { $0 } }
    }

    static func serving(
        _ source: FakeSource, port: Int = 0, _ body: (MetricsServer, Int) async throws -> Void
    ) async throws {
        let server = MetricsServer(
            listen: .init(host: "127.0.0.1", port: port), source: source, logger: DeliveryFixture.quiet)
        let group = ServiceGroup(configuration: .init(services: [server], logger: DeliveryFixture.quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<Void, any Error>
            do {
                result = .success(try await body(server, try await server.port()))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try result.get()
        }
    }

    static func get(_ port: Int, _ path: String) async throws -> HTTPResponse {
        try await CurlTransport().send(
            HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeout: .seconds(30)))
    }

    @Test func metricsAndHealthzAnswerFromTheSource() async throws {
        let source = FakeSource()
        try await Self.serving(source) { _, port in
            let metrics = try await Self.get(port, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type") == MetricsServer.metricsContentType)
            #expect(String(decoding: metrics.body, as: UTF8.self) == "# TYPE x counter\nx 1\n")

            let healthy = try await Self.get(port, "/healthz")
            #expect(healthy.status == 200)
            #expect(String(decoding: healthy.body, as: UTF8.self) == "ok\n")

            source.verdict.withLock { $0 = .init(reasons: ["polling failing", "destination crm disabled: 410"]) }
            let unhealthy = try await Self.get(port, "/healthz")
            #expect(unhealthy.status == 503)
            #expect(
                String(decoding: unhealthy.body, as: UTF8.self) == "polling failing\ndestination crm disabled: 410\n")

            source.text.withLock { $0 = nil }
            let failed = try await Self.get(port, "/metrics")
            #expect(failed.status == 500)
            #expect(String(decoding: failed.body, as: UTF8.self).contains("the store is gone"))

            #expect(try await Self.get(port, "/").status == 404)
        }
    }

    @Test func anAddressInUseFailsTheServiceWithTheAddress() async throws {
        try await Self.serving(FakeSource()) { _, port in
            let second = MetricsServer(
                listen: .init(host: "127.0.0.1", port: port), source: FakeSource(), logger: DeliveryFixture.quiet)
            let error = await #expect(throws: MetricsServerError.self) { try await second.run() }
            #expect(error?.description.contains("cannot listen on 127.0.0.1:\(port)") == true)
            await #expect(throws: MetricsServerError.self) { _ = try await second.port() }
        }
    }
}
