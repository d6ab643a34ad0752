import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import IntercomTriggers

/// "No secret ever reaches a log line": a whole daemon at trace level, made to poll, deliver, fail, dead-letter
/// and hit 401s, with every rendered log line checked for the token and every webhook secret.
@Suite struct NoSecretInLogsTests {
    static let token = "dG9rOnNlY3JldC10b2tlbi1sb2dnaW5n"
    static let previousSecret = "whsec_cHJldmlvdXMtc2VjcmV0LWZvci1sb2dzLXRlc3Q="
    static let clientSecret = "intercom-client-secret-4f1b2c"

    /// Every string that must never appear: the secrets and the key material inside the `whsec_` ones.
    static var forbidden: [String] {
        [token, WebhookReceiver.secret, previousSecret, clientSecret]
            + [WebhookReceiver.secret, previousSecret].map { String($0.dropFirst("whsec_".count)) }
    }

    @Test func noSecretReachesALogLineAtTraceLevel() async throws {
        let lines = LogLines()
        let logger = lines.logger(format: .plain, level: .trace)
        var simulator = SimulatorConfiguration()
        simulator.token = Self.token
        simulator.rateLimitPerWindow = 100_000
        simulator.logger = Logger(label: "sim") { _ in SwiftLogNoOpLogHandler() }
        let files = try StoreFixture()
        defer { files.remove() }
        try await SimulatorServer.withRunning(simulator) { server in
            for name in ["ada", "bob", "doomed"] {
                _ = try server.workspace.createContact(role: "user", email: "\(name)@example.com", name: name)
            }
            let unauthorizedOnce = Once()
            try await WebhookReceiver.withRunning(respond: { request, _ in
                let body = String(decoding: request.body, as: UTF8.self)
                if body.contains("doomed@example.com") { return .status(500, body: "sink is down") }
                return unauthorizedOnce.take() ? .status(401, body: "who are you") : .status(200)
            }) { receiver in
                let topics = [TopicCatalog.topic(named: "contact.user.created")!]
                let webhook = DaemonConfiguration.Destination.Webhook(
                    url: receiver.url, secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")),
                    previousSecret: Secret(Self.previousSecret, source: .inline(key: "previous_secret")),
                    intercomClientSecret: Secret(Self.clientSecret, source: .inline(key: "intercom_client_secret")))
                let configuration = DaemonConfiguration(
                    intercom: .init(
                        accessToken: Secret(Self.token, source: .inline(key: "access_token")),
                        baseURL: server.baseURL),
                    poll: .init(interval: .milliseconds(200)), store: .init(path: files.path),
                    triggers: .init(topics: topics, start: .beginning),
                    destinations: [
                        .init(
                            name: "hook", kind: .webhook(webhook), topics: topics, timeout: .seconds(5),
                            concurrency: 1, retrySchedule: [.milliseconds(10)])
                    ],
                    // The metrics endpoint too: every service's logging is checked.
                    metrics: .init(listen: .init(host: "127.0.0.1", port: 0)),
                    log: .init(level: .trace, summaryInterval: .seconds(1)))
                let daemon = try await Daemon.build(configuration: configuration, logger: logger)
                defer { try? daemon.store.close() }
                // Through `run` (nested in a group of its own) for its start and stop lines too.
                let group = ServiceGroup(
                    configuration: .init(
                        services: [RunningDaemon(daemon: daemon)],
                        logger: Logger(label: "g") { _ in SwiftLogNoOpLogHandler() }))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    defer { tasks.cancelAll() }
                    // Delivered (after a 401 from the sink) and a dead letter (500 twice).
                    try await eventually("deliveries and a dead letter") {
                        let dead = (try? await daemon.store.deadLetterCounts()["hook"]) ?? 0
                        let pending = (try? await daemon.store.queueDepth()["hook"]) ?? 0
                        return dead == 1 && pending == 0
                    }
                    // Intercom answers 401 to the next request, then the poller recovers.
                    server.forceFaults([.status(401)])
                    try await eventually("a failed poll and a recovery") {
                        let snapshot = daemon.telemetry.snapshot
                        return snapshot.pollFailures >= 1 && snapshot.lastPollError == nil
                    }
                    try await eventually("a periodic summary") {
                        lines.all.contains { $0.contains("summary of the last") }
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.next()
                }
                #expect(receiver.requests.contains { String(decoding: $0.body, as: UTF8.self).contains("ada@") })
            }
        }
        let all = lines.all
        // The test saw what it meant to provoke (it can fail if the daemon stops logging these).
        for expected in [
            "intercom-triggerd started", "intercom-triggerd stopped", "Intercom request", "status=401", "poll failed",
            "polling recovered", "Delivery failed; will retry",
            "dead letter", "summary of the last",
        ] {
            #expect(all.contains { $0.contains(expected) }, "no log line contains \(expected)")
        }
        #expect(Self.leaks(in: all) == [])
    }

    @Test func theCheckFindsASecretPlantedAnywhereInALine() {
        let lines = LogLines()
        let logger = lines.logger(format: .journal)
        logger.info("clean", metadata: ["url": "http://127.0.0.1/hook"])
        logger.debug("request", metadata: ["authorization": "Bearer \(Self.token)"])
        logger.error("signing with \(Self.previousSecret.dropFirst(6)) failed")
        logger.trace("header", metadata: ["x-hub": "\(Self.clientSecret)"])
        #expect(Self.leaks(in: lines.all).count == 3)
        #expect(Self.leaks(in: [lines.all[0]]).isEmpty)
    }

    /// The lines that contain any ``forbidden`` string.
    static func leaks(in lines: [String]) -> [String] {
        lines.filter { line in forbidden.contains { line.contains($0) } }
    }
}

/// True the first time it is taken, false after.
private final class Once: Sendable {
    private let pending = Mutex(true)

    func take() -> Bool {
        pending.withLock { pending in
            defer { pending = false }
            return pending
        }
    }
}

/// `Daemon.run` as a service, so a test's group can stop it gracefully.
private struct RunningDaemon: Service {
    let daemon: Daemon

    func run() async throws { try await daemon.run(trapSignals: false) }
}
