import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Logging
import ServiceLifecycle
import Testing

@testable import IntercomTriggers

/// One daemon serving several workspaces of one simulator: each polled with its own token into its own rows and
/// labelled with its own app id; a workspace that is revoked, stalled or backfilling holds up no other; a reload
/// adds, removes and changes workspaces without restarting the others.
@Suite struct ManyWorkspacesTests {
    static let userCreated = TopicCatalog.topic(named: "contact.user.created")!

    /// A simulator serving `count` workspaces that never rate-limits a test and logs nothing.
    static func simulator(workspaces count: Int) -> SimulatorConfiguration {
        var simulator = DaemonReloadTests.simulator
        simulator.workspaceCount = count
        return simulator
    }

    /// Workspace `name` reading simulated workspace `number` of `server`.
    static func workspace(
        _ name: String, _ number: Int, of server: SimulatorServer, interval: Duration = .milliseconds(200),
        topics: [Topic] = [userCreated]
    ) -> DaemonConfiguration.Workspace {
        DaemonConfiguration.Workspace(
            name: name,
            intercom: .init(
                accessToken: Secret(server.hostedWorkspace(number).token, source: .inline(key: "access_token")),
                baseURL: server.baseURL),
            triggers: .init(topics: topics, start: .beginning), poll: .init(interval: interval))
    }

    static func configuration(
        _ workspaces: [DaemonConfiguration.Workspace], store: String, destination: URL
    ) -> DaemonConfiguration {
        var configuration = DaemonConfiguration(
            intercom: .init(accessToken: Secret("unused", source: .inline(key: "access_token"))),
            store: .init(path: store),
            destinations: [
                .init(
                    name: "hook",
                    kind: .webhook(
                        .init(url: destination, secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")))
                    ),
                    topics: [userCreated], timeout: .seconds(5), concurrency: 4, retrySchedule: [.milliseconds(10)])
            ])
        configuration.workspaces = workspaces
        return configuration
    }

    /// The emails of the contacts whose events reached `receiver`, by the envelope's `app_id`.
    static func delivered(_ receiver: WebhookReceiver) -> [String: Set<String>] {
        receiver.requests.filter { $0.problem == nil }.reduce(into: [:]) { delivered, request in
            let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
            let item = (object?["data"] as? [String: Any])?["item"] as? [String: Any]
            guard let app = object?["app_id"] as? String, let email = item?["email"] as? String else { return }
            delivered[app, default: []].insert(email)
        }
    }

    @Test func eachWorkspaceIsPolledWithItsTokenIntoItsRowsUnderItsAppID() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await SimulatorServer.withRunning(Self.simulator(workspaces: 3)) { server in
            try await WebhookReceiver.withRunning { receiver in
                let configuration = Self.configuration(
                    (1...3).map { Self.workspace("ws\($0)", $0, of: server) }, store: files.path,
                    destination: receiver.url)
                for number in 1...3 {
                    _ = try server.hostedWorkspace(number).workspace.createContact(
                        role: "user", email: "u\(number)@example.com")
                }
                try await DaemonReloadTests.withReloadingDaemon(configuration, lines: LogLines()) { daemon, _, _ in
                    #expect(daemon.scheduler.workspaces.map(\.name) == ["ws1", "ws2", "ws3"])
                    let apps = (1...3).map { server.hostedWorkspace($0).workspace.configuration.workspaceID }
                    #expect(Set(apps).count == 3)
                    try await eventually("one user per workspace delivered") {
                        Self.delivered(receiver).values.reduce(0) { $0 + $1.count } == 3
                    }
                    #expect(
                        Self.delivered(receiver) == [
                            apps[0]: ["u1@example.com"], apps[1]: ["u2@example.com"], apps[2]: ["u3@example.com"],
                        ])
                    // Each workspace's rows: its app id, its event.
                    for (index, runtime) in daemon.scheduler.workspaces.enumerated() {
                        #expect(try await daemon.store.appID(of: runtime.storeWorkspace) == apps[index])
                        let events = try await daemon.store.events(
                            afterSeq: 0, topic: nil, since: nil, limit: 10, workspace: runtime.storeWorkspace)
                        #expect(events.map(\.workspaceID) == [apps[index]])
                    }
                    // Their idle polls after the first (which queued the user) reach `status` through the
                    // scheduler's batched write.
                    try await eventually("each workspace's idle poll recorded") {
                        for runtime in daemon.scheduler.workspaces {
                            let state = try await daemon.store.topicStates(in: runtime.storeWorkspace).first
                            guard state?.lastResult?.hasSuffix(" 0 events") == true, state?.lastError == nil else {
                                return false
                            }
                        }
                        return true
                    }
                    // The metrics carry the workspace.
                    let text = String(
                        decoding: try await DaemonMetrics(
                            daemon: daemon, registry: daemon.metricsRegistry, clock: daemon.clock
                        ).exposition(), as: UTF8.self)
                    #expect(text.contains(#"topic="contact.user.created",workspace="ws2""#))
                }
            }
        }
    }

    @Test func aRevokedAStalledAndABackfillingWorkspaceHoldUpNoOther() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        // The stalled workspace's Intercom reads every request and never answers.
        let never: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: never) { silent in
            try await SimulatorServer.withRunning(Self.simulator(workspaces: 5)) { server in
                try await WebhookReceiver.withRunning { receiver in
                    server.hostedWorkspace(1).faults.tokenRevoked = true
                    for index in 0..<600 {
                        _ = try server.hostedWorkspace(3).workspace.createContact(
                            role: "user", email: "b\(index)@example.com")
                    }
                    let names = ["revoked", "stalled", "backfill", "a", "b"]
                    var workspaces = names.enumerated().map { Self.workspace($1, $0 + 1, of: server) }
                    workspaces[1].intercom.baseURL = URL(string: silent.baseURL)!
                    var configuration = Self.configuration(workspaces, store: files.path, destination: receiver.url)
                    configuration.poll.concurrency = 4
                    try await DaemonReloadTests.withReloadingDaemon(configuration, lines: LogLines()) { daemon, _, _ in
                        let (a, b) = (server.hostedWorkspace(4), server.hostedWorkspace(5))
                        // Three rounds of new contacts in the healthy workspaces, each detected and delivered.
                        for round in 1...3 {
                            _ = try a.workspace.createContact(role: "user", email: "a\(round)@example.com")
                            _ = try b.workspace.createContact(role: "user", email: "b-\(round)@example.com")
                            try await eventually("round \(round) delivered") {
                                let delivered = Self.delivered(receiver)
                                return delivered[a.workspace.configuration.workspaceID]?.count == round
                                    && delivered[b.workspace.configuration.workspaceID]?.count == round
                            }
                        }
                        // The stalled workspace's first request never came back.
                        let stalled = try #require(daemon.scheduler.workspace(named: "stalled"))
                        #expect(try await daemon.store.appID(of: stalled.storeWorkspace) == nil)
                        #expect(silent.received.count == 1)
                        // The revoked one recorded its 401 and keeps backing off on its own.
                        let revoked = try #require(daemon.scheduler.workspace(named: "revoked"))
                        try await eventually("the 401 recorded") {
                            try await daemon.store.topicStates(in: revoked.storeWorkspace).first?.lastError?.contains(
                                "401")
                                == true
                        }
                        // The backfill finishes too.
                        let backfill = try #require(daemon.scheduler.workspace(named: "backfill"))
                        try await eventually("the backfill queued") {
                            try await daemon.store.events(
                                afterSeq: 0, topic: nil, since: nil, limit: 1_000, workspace: backfill.storeWorkspace
                            ).count == 600
                        }
                        // One failing workspace does not make the daemon's polling unhealthy.
                        #expect(daemon.telemetry.snapshot.consecutivePollFailures == 0)
                        #expect(daemon.telemetry.snapshot.workspacePolls["revoked"]?.failuresInARow ?? 0 >= 1)
                    }
                }
            }
        }
    }

    @Test func aReloadAddsRemovesAndChangesWorkspacesWithoutRestartingTheOthers() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let lines = LogLines()
        try await SimulatorServer.withRunning(Self.simulator(workspaces: 3)) { server in
            try await WebhookReceiver.withRunning { receiver in
                let initial = Self.configuration(
                    [Self.workspace("one", 1, of: server), Self.workspace("two", 2, of: server)], store: files.path,
                    destination: receiver.url)
                try await DaemonReloadTests.withReloadingDaemon(initial, lines: lines) { daemon, file, request in
                    _ = try server.hostedWorkspace(1).workspace.createContact(role: "user", email: "o1@example.com")
                    _ = try server.hostedWorkspace(2).workspace.createContact(role: "user", email: "t1@example.com")
                    try await eventually("both delivered") {
                        Self.delivered(receiver).values.reduce(0) { $0 + $1.count } == 2
                    }
                    let one = try #require(daemon.scheduler.workspace(named: "one"))
                    let two = try #require(daemon.scheduler.workspace(named: "two"))
                    let lane = try #require(daemon.lanes.first)

                    // "two" goes, "three" comes, "one" gets another interval.
                    var edited = initial
                    edited.workspaces = [
                        Self.workspace("one", 1, of: server, interval: .milliseconds(300)),
                        Self.workspace("three", 3, of: server),
                    ]
                    file.write(edited)
                    request.yield()
                    try await eventually("reloaded") { lines.all.contains { $0.contains("configuration reloaded") } }
                    #expect(daemon.scheduler.workspaces.map(\.name) == ["one", "three"])
                    let changed = try #require(daemon.scheduler.workspace(named: "one"))
                    #expect(changed.poller !== one.poller)
                    #expect(changed.storeWorkspace == one.storeWorkspace)
                    // The removed workspace's client is shut down; the lanes run on (not rebuilt).
                    try await eventually("two's client shut down") {
                        do {
                            _ = try await two.client.me()
                            return false
                        } catch IntercomError.shutDown {
                            return true
                        }
                    }
                    #expect(daemon.lanes.first === lane)

                    _ = try server.hostedWorkspace(1).workspace.createContact(role: "user", email: "o2@example.com")
                    _ = try server.hostedWorkspace(2).workspace.createContact(role: "user", email: "t2@example.com")
                    _ = try server.hostedWorkspace(3).workspace.createContact(role: "user", email: "h1@example.com")
                    let apps = (1...3).map { server.hostedWorkspace($0).workspace.configuration.workspaceID }
                    try await eventually("one and three delivered") {
                        let delivered = Self.delivered(receiver)
                        return delivered[apps[0]]?.count == 2 && delivered[apps[2]]?.count == 1
                    }
                    // "one" went on from its watermark (o1 not again); "two" is no longer polled.
                    #expect(Self.delivered(receiver)[apps[1]] == ["t1@example.com"])
                    #expect(receiver.requests.filter { $0.problem == nil }.count == 4)
                }
            }
        }
    }

    @Test func twoWorkspacesWithTokensOfOneAppAreNotBothPolled() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await SimulatorServer.withRunning(Self.simulator(workspaces: 1)) { server in
            try await WebhookReceiver.withRunning { receiver in
                _ = try server.workspace.createContact(role: "user", email: "once@example.com")
                let configuration = Self.configuration(
                    [Self.workspace("first", 1, of: server), Self.workspace("second", 1, of: server)],
                    store: files.path, destination: receiver.url)
                try await DaemonReloadTests.withReloadingDaemon(configuration, lines: LogLines()) { daemon, _, _ in
                    let runtimes = daemon.scheduler.workspaces
                    try await eventually("one claimed the app, the other recorded the refusal") {
                        var claimed = 0
                        var refused = 0
                        for runtime in runtimes {
                            if try await daemon.store.appID(of: runtime.storeWorkspace) != nil { claimed += 1 }
                            let error = try await daemon.store.topicStates(in: runtime.storeWorkspace).first?.lastError
                            if error?.contains("two workspaces must not read the same app") == true { refused += 1 }
                        }
                        return claimed == 1 && refused == 1
                    }
                    try await eventually("delivered") { !receiver.requests.isEmpty }
                    // The contact fired once, under the workspace that claimed the app.
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(receiver.requests.filter { $0.problem == nil }.count == 1)
                }
            }
        }
    }
}
