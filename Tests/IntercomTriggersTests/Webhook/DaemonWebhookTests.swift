import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// `Daemon.build` wires a `[[destination]]` webhook into a signed, concurrent lane and adds the pruner.
@Suite struct DaemonWebhookTests {
    static let topics = TopicCatalog.defaults

    /// A configuration with one webhook destination `hook` to `receiver`, its store at `storePath`.
    static func configuration(_ receiver: WebhookReceiver, storePath: String, concurrency: Int = 4)
        -> DaemonConfiguration
    {
        let webhook = DaemonConfiguration.Destination.Webhook(
            url: receiver.url, secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")))
        return DaemonConfiguration(
            intercom: .init(accessToken: Secret("token", source: .inline(key: "access_token"))),
            store: .init(path: storePath), triggers: .init(topics: topics),
            destinations: [
                .init(
                    name: "hook", kind: .webhook(webhook), topics: topics, timeout: .seconds(5),
                    concurrency: concurrency)
            ])
    }

    /// A daemon built from ``configuration(_:storePath:concurrency:)`` (to a running receiver).
    func withDaemon(
        concurrency: Int = 4, _ body: (Daemon, WebhookReceiver, StoreFixture) async throws -> Void
    ) async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await WebhookReceiver.withRunning { receiver in
            let configuration = Self.configuration(receiver, storePath: files.path, concurrency: concurrency)
            let daemon = try await Daemon.build(configuration: configuration, logger: DeliveryFixture.quiet)
            defer { try? daemon.store.close() }
            try await body(daemon, receiver, files)
        }
    }

    @Test func aWebhookDestinationGetsASignedLaneAndTheRetentionService() async throws {
        try await withDaemon(concurrency: 2) { daemon, receiver, _ in
            let topics = Self.topics
            #expect(daemon.lanes.map(\.destination) == ["hook"])
            #expect(daemon.services.contains { $0 is RetentionService })
            daemon.identity.set("app1")
            let now = Int(Date().timeIntervalSince1970)
            let events = try await daemon.store.commitPage(
                StoreFixture.page(
                    (0..<5).map { StoreFixture.candidate(topics[0].name, "c\($0)", 1) }, routes: ["hook": nil],
                    detectedAt: now))
            let fixture = DeliveryFixture(store: daemon.store, clock: ManualWallClock())
            try await fixture.running(daemon.lanes) {
                try await eventually("delivered") { try await fixture.deliveredCount("hook", of: 5) == 5 }
            }
            #expect(Set(receiver.requests.compactMap(\.eventID)) == Set(events.map(\.id)))
            #expect(receiver.problems.isEmpty)
            #expect(receiver.maxInFlight <= 2)
            #expect(
                receiver.requests.allSatisfy { String(decoding: $0.body, as: UTF8.self).contains(#""app_id":"app1""#) })
        }
    }

    /// The daemon's lanes do not read the store every second while nothing is due: an admin's `enable` (another
    /// process) reaches a disabled lane through the scheduler's look for other processes' writes.
    @Test func anAdminsEnableReachesTheDaemonsLaneThroughTheSchedulersLook() async throws {
        try await withDaemon { daemon, receiver, files in
            let topics = Self.topics
            #expect(daemon.lanes.allSatisfy { $0.quietPoll == DeliveryLane.daemonQuietPoll })
            daemon.identity.set("app1")
            try await daemon.store.setDestinationDisabled("hook", reason: "410", at: 1)
            await daemon.scheduler.lookForOutsideWrites()
            _ = try await daemon.store.commitPage(
                StoreFixture.page(
                    (0..<3).map { StoreFixture.candidate(topics[0].name, "c\($0)", 1) }, routes: ["hook": nil],
                    detectedAt: Int(Date().timeIntervalSince1970)))
            let fixture = DeliveryFixture(store: daemon.store, clock: ManualWallClock())
            try await fixture.running(daemon.lanes) {
                try await eventually("the lane is disabled") {
                    if case .disabled = daemon.lanes[0].status.state { return true }
                    return false
                }
                let admin = try files.open(.admin)
                try await admin.enableDestination("hook")
                try admin.close()
                // The daemon's own look, every 2 s; without it the lane would sleep its 5-minute quiet poll.
                await daemon.scheduler.lookForOutsideWrites()
                try await eventually("delivered", timeout: .seconds(20)) {
                    try await fixture.deliveredCount("hook", of: 3) == 3
                }
            }
            #expect(receiver.requests.count == 3)
        }
    }

    /// On a shared (PostgreSQL) store other daemons' rows arrive through `LISTEN`, and only looking finds them
    /// while that connection is made again: the lanes look every 30 s there, not every 5 minutes as on SQLite.
    @Test func onASharedStoreTheLanesLookEveryThirtySeconds() async throws {
        try await StoreFixture.withPostgresStore { store in
            try await WebhookReceiver.withRunning { receiver in
                var configuration = Self.configuration(receiver, storePath: "unused.sqlite")
                configuration.destinations.insert(
                    .init(name: "stdout", kind: .stdout, topics: Self.topics, timeout: .seconds(5)), at: 0)
                let daemon = try await Daemon.build(
                    configuration: configuration, logger: DeliveryFixture.quiet, store: store)
                #expect(daemon.lanes.map(\.destination) == ["stdout", "hook"])
                #expect(daemon.lanes.allSatisfy { $0.quietPoll == DeliveryLane.sharedStoreQuietPoll })
            }
        }
    }
}
