import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import IntercomTriggers

/// SIGHUP's reload, driven through `Daemon.run(reload:reloadRequests:)` with a test's own requests: topics,
/// interval and destinations change without losing state; an invalid file keeps the running configuration.
@Suite struct DaemonReloadTests {
    /// What the next reload reads: a configuration or a refusal.
    final class ConfigurationFile: Sendable {
        private let contents: Mutex<Result<DaemonConfiguration, ConfigError>>

        init(_ configuration: DaemonConfiguration) { contents = Mutex(.success(configuration)) }

        func write(_ configuration: DaemonConfiguration) { contents.withLock { $0 = .success(configuration) } }

        func corrupt(_ error: ConfigError) { contents.withLock { $0 = .failure(error) } }

        func read() throws -> DaemonConfiguration { try contents.withLock { $0 }.get() }
    }

    static func topic(_ name: String) -> Topic { TopicCatalog.topic(named: name)! }

    static func configuration(
        server: SimulatorServer, store: String, topics: [String], destinations: [(String, URL)],
        interval: Duration
    ) -> DaemonConfiguration {
        let topics = topics.map(Self.topic)
        return DaemonConfiguration(
            intercom: .init(
                accessToken: Secret(server.token, source: .inline(key: "access_token")), baseURL: server.baseURL),
            poll: .init(interval: interval), store: .init(path: store),
            triggers: .init(topics: topics, start: .beginning),
            destinations: destinations.map { name, url in
                .init(
                    name: name,
                    kind: .webhook(
                        .init(url: url, secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")))),
                    topics: topics, timeout: .seconds(5), concurrency: 2, retrySchedule: [.milliseconds(10)])
            })
    }

    /// The contact emails a receiver acknowledged, with each event's topic.
    static func delivered(_ receiver: WebhookReceiver) -> [String] {
        receiver.requests.filter { $0.problem == nil }.compactMap { request in
            let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
            let item = (object?["data"] as? [String: Any])?["item"] as? [String: Any]
            guard let topic = object?["topic"] as? String, let email = item?["email"] as? String else { return nil }
            return "\(topic) \(email)"
        }.sorted()
    }

    /// A simulator that never rate-limits a test and logs nothing.
    static var simulator: SimulatorConfiguration {
        var simulator = SimulatorConfiguration()
        simulator.rateLimitPerWindow = 100_000
        simulator.logger = Logger(label: "sim") { _ in SwiftLogNoOpLogHandler() }
        return simulator
    }

    /// Runs the daemon of `initial` in a service group, reloading from a file the test writes (`body` gets the
    /// daemon, the file and what requests a reload), then shuts the group down gracefully.
    static func withReloadingDaemon(
        _ initial: DaemonConfiguration, lines: LogLines,
        _ body: (Daemon, ConfigurationFile, AsyncStream<Void>.Continuation) async throws -> Void
    ) async throws {
        let file = ConfigurationFile(initial)
        let (requests, request) = AsyncStream.makeStream(of: Void.self)
        let daemon = try await Daemon.build(configuration: initial, logger: lines.logger(format: .plain, level: .info))
        let group = ServiceGroup(
            configuration: .init(
                services: [ReloadingDaemon(daemon: daemon, file: file, requests: requests)],
                logger: Logger(label: "g") { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            try await body(daemon, file, request)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }

    @Test func topicsIntervalAndDestinationsChangeWithoutLosingState() async throws {
        let lines = LogLines()
        let files = try StoreFixture()
        defer { files.remove() }
        try await SimulatorServer.withRunning(Self.simulator) { server in
            try await WebhookReceiver.withRunning { first in
                try await WebhookReceiver.withRunning { second in
                    let initial = Self.configuration(
                        server: server, store: files.path, topics: ["contact.user.created"],
                        destinations: [("first", first.url)], interval: .milliseconds(200))
                    try await Self.withReloadingDaemon(initial, lines: lines) { daemon, file, request in
                        _ = try server.workspace.createContact(role: "user", email: "ada@example.com", name: "Ada")
                        _ = try server.workspace.createContact(role: "lead", email: "lee@example.com", name: "Lee")
                        try await eventually("ada at the first destination") {
                            Self.delivered(first) == ["contact.user.created ada@example.com"]
                        }

                        // A new topic, a new interval, the first destination replaced by a second one.
                        let edited = Self.configuration(
                            server: server, store: files.path,
                            topics: ["contact.user.created", "contact.lead.created"],
                            destinations: [("second", second.url)], interval: .milliseconds(300))
                        file.write(edited)
                        request.yield()
                        try await eventually("the reload logged") {
                            lines.all.contains { $0.contains("configuration reloaded") }
                        }
                        _ = try server.workspace.createContact(role: "user", email: "bob@example.com", name: "Bob")
                        // The lead topic is new: it starts at `beginning`, so Lee (older) fires too; Ada does not
                        // fire again (her topic kept its watermark) and goes nowhere new.
                        try await eventually("bob and lee at the second destination") {
                            Self.delivered(second) == [
                                "contact.lead.created lee@example.com", "contact.user.created bob@example.com",
                            ]
                        }
                        #expect(Self.delivered(first) == ["contact.user.created ada@example.com"])
                        let topics = try await daemon.store.topicStates().map(\.topic).sorted()
                        #expect(topics == ["contact.lead.created", "contact.user.created"])

                        // An invalid file: logged, and the running configuration goes on.
                        file.corrupt(
                            ConfigError(file: "daemon.conf", line: 3, problem: "unknown key `intervall`", fix: "…"))
                        request.yield()
                        try await eventually("the refusal logged") {
                            lines.all.contains { $0.contains("reload refused") && $0.contains("intervall") }
                        }
                        _ = try server.workspace.createContact(role: "user", email: "cy@example.com", name: "Cy")
                        try await eventually("cy at the second destination") {
                            Self.delivered(second).contains("contact.user.created cy@example.com")
                        }

                        // The same file again: nothing to do, nothing restarted.
                        file.write(edited)
                        request.yield()
                        try await eventually("the no-op logged") {
                            lines.all.contains { $0.contains("the configuration has not changed") }
                        }
                        #expect(lines.all.filter { $0.contains("configuration reloaded") }.count == 1)
                    }
                    // Each event reached its destination once: no duplicates from the restart of the services.
                    #expect(second.requests.filter { $0.problem == nil }.count == 3)
                    #expect(first.requests.filter { $0.problem == nil }.count == 1)
                }
            }
        }
        #expect(lines.all.contains { $0.contains("intercom-triggerd stopped") })
    }
}

extension DaemonReloadTests {
    /// `[[destination.when]]` through SIGHUP: a new filter applies to the events detected after the reload, and
    /// what a filter skipped is counted for `status`.
    @Test func aReloadedFilterAppliesToEventsDetectedAfterIt() async throws {
        let lines = LogLines()
        let files = try StoreFixture()
        defer { files.remove() }
        func filtered(_ configuration: DaemonConfiguration, _ filter: EventFilter) -> DaemonConfiguration {
            var configuration = configuration
            configuration.destinations[0].filter = filter
            return configuration
        }
        try await SimulatorServer.withRunning(Self.simulator) { server in
            try await WebhookReceiver.withRunning { receiver in
                let plain = Self.configuration(
                    server: server, store: files.path, topics: ["contact.user.created"],
                    destinations: [("crm", receiver.url)], interval: .milliseconds(200))
                let initial = filtered(
                    plain, EventFilter([FilterCondition(field: "email", operator: .endsWith, value: "@example.com")]))
                try await Self.withReloadingDaemon(initial, lines: lines) { daemon, file, request in
                    _ = try server.workspace.createContact(role: "user", email: "ada@example.com", name: "Ada")
                    _ = try server.workspace.createContact(role: "user", email: "bo@other.org", name: "Bo")
                    try await eventually("ada delivered, bo skipped") {
                        try await daemon.store.filteredCounts() == ["crm": 1]
                            && Self.delivered(receiver) == ["contact.user.created ada@example.com"]
                    }

                    // The other way round: only other.org from now on.
                    file.write(
                        filtered(
                            plain,
                            EventFilter([FilterCondition(field: "email", operator: .endsWith, value: "other.org")])
                        ))
                    request.yield()
                    try await eventually("the reload logged") {
                        lines.all.contains { $0.contains("configuration reloaded") && $0.contains("crm") }
                    }
                    _ = try server.workspace.createContact(role: "user", email: "cy@example.com", name: "Cy")
                    _ = try server.workspace.createContact(role: "user", email: "di@other.org", name: "Di")
                    try await eventually("di delivered, cy skipped") {
                        try await daemon.store.filteredCounts() == ["crm": 2]
                            && Self.delivered(receiver).contains("contact.user.created di@other.org")
                    }
                    // Bo was detected before the reload: the new filter does not bring him back.
                    #expect(
                        Self.delivered(receiver) == [
                            "contact.user.created ada@example.com", "contact.user.created di@other.org",
                        ])
                    let status = try await StatusReport.collect(
                        store: daemon.store, topics: [], destinations: ["crm"], now: 0)
                    #expect(status.destinations.first?.filtered == 2)
                }
            }
        }
    }
}

/// `Daemon.run` with reloads from `requests`, as a service a test's group can stop.
private struct ReloadingDaemon: Service {
    let daemon: Daemon
    let file: DaemonReloadTests.ConfigurationFile
    let requests: AsyncStream<Void>

    func run() async throws {
        try await daemon.run(trapSignals: false, reload: { [file] in try file.read() }, reloadRequests: requests)
    }
}
