import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Logging
import ServiceLifecycle

@testable import IntercomTriggers

/// A real ``Daemon`` with `[metrics] listen = "127.0.0.1:0"` against the in-process simulator, delivering to a
/// ``WebhookReceiver``, its services run in a `ServiceGroup`; the test scrapes it over HTTP.
///
/// Time is the simulator's, pinned: the daemon polls once at start, then waits until the test advances
/// ``clock``.
struct MetricsDaemonHarness {
    static let t0 = PassCorrectnessTests.base + 43_200
    static let destination = "hook"
    static let interval = Duration.seconds(120)
    static let topic = TopicCatalog.all.first { $0.name == "contact.user.created" }!

    let daemon: Daemon
    let simulator: SimulatorServer
    let receiver: WebhookReceiver
    let clock: ManualWallClock
    let port: Int

    /// Runs `body` against a daemon started after `users` users were created in the simulator.
    ///
    /// - Parameters:
    ///   - token: the token the daemon sends (the simulator accepts only its own: another one gets 401).
    ///   - reply: how the webhook receiver answers every request.
    static func run(
        users: Int, token: String? = nil, reply: WebhookReceiver.Reply = .status(200),
        _ body: (MetricsDaemonHarness) async throws -> Void
    ) async throws {
        var configuration = SimulatorConfiguration()
        configuration.workspace.timezone = "America/Los_Angeles"
        configuration.rateLimitPerWindow = 100_000
        let files = try StoreFixture()
        defer { files.remove() }
        try await SimulatorServer.withRunning(configuration, clock: SimulatorClock(pinnedAt: Double(t0))) { simulator in
            let clock = ManualWallClock(simulator: simulator.clock)
            clock.advance(by: 10)
            for index in 0..<users {
                try simulator.workspace.createContact(role: "user", email: "u\(index)@example.com")
            }
            clock.advance(by: 10)
            try await WebhookReceiver.withRunning(now: { simulator.clock.nowSeconds() }, respond: { _, _ in reply }) {
                receiver in
                let daemon = try await Daemon.build(
                    configuration: Self.configuration(
                        simulator: simulator, token: token ?? simulator.token, receiver: receiver, store: files.path),
                    logger: DeliveryFixture.quiet, clock: clock, transport: CurlTransport(),
                    webhookTransport: { CurlTransport() })
                try await Self.running(daemon) { port in
                    try await body(
                        MetricsDaemonHarness(
                            daemon: daemon, simulator: simulator, receiver: receiver, clock: clock, port: port))
                }
            }
        }
    }

    static func configuration(simulator: SimulatorServer, token: String, receiver: WebhookReceiver, store: String)
        -> DaemonConfiguration
    {
        let webhook = DaemonConfiguration.Destination.Webhook(
            url: receiver.url, secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")))
        return DaemonConfiguration(
            intercom: .init(
                accessToken: Secret(token, source: .inline(key: "access_token")), baseURL: simulator.baseURL,
                maxRequestsPerMinute: 1_000_000),
            poll: .init(interval: interval), store: .init(path: store),
            // From t0: the users were created between t0 and the daemon's start.
            triggers: .init(topics: [topic], start: .at(t0)),
            destinations: [.init(name: destination, kind: .webhook(webhook), topics: [topic], timeout: .seconds(30))],
            metrics: .init(listen: .init(host: "127.0.0.1", port: 0)))
    }

    /// Runs the daemon's services while `body` runs with the metrics port, then shuts them down gracefully
    /// and closes the store.
    static func running(_ daemon: Daemon, _ body: (Int) async throws -> Void) async throws {
        let services = daemon.services
        guard let metrics = services.compactMap({ $0 as? MetricsServer }).first else {
            throw DeliveryFixture.FixtureTimeout(what: "a metrics service among the daemon's services")
        }
        let quiet = DeliveryFixture.quiet
        let group = ServiceGroup(configuration: .init(services: services, logger: quiet))
        defer { try? daemon.store.close() }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<Void, any Error>
            do {
                result = .success(try await body(try await metrics.port()))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try result.get()
        }
    }

    /// `GET path` on the metrics endpoint.
    func get(_ path: String) async throws -> HTTPResponse {
        try await CurlTransport().send(
            HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeout: .seconds(30)))
    }

    /// `/metrics`, parsed.
    func scrape() async throws -> Exposition {
        let response = try await get("/metrics")
        guard response.status == 200 else { throw ScrapeFailed(status: response.status) }
        return Exposition(String(decoding: response.body, as: UTF8.self))
    }

    /// `/healthz`: the status and the body.
    func health() async throws -> (status: Int, body: String) {
        let response = try await get("/healthz")
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    struct ScrapeFailed: Error {
        let status: Int
    }
}
