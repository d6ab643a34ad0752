import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// `Daemon.build` wires a `[[destination]]` webhook into a signed, concurrent lane and adds the pruner.
@Suite struct DaemonWebhookTests {
    @Test func aWebhookDestinationGetsASignedLaneAndTheRetentionService() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await WebhookReceiver.withRunning { receiver in
            let topics = TopicCatalog.defaults
            let webhook = DaemonConfiguration.Destination.Webhook(
                url: receiver.url, secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")))
            let configuration = DaemonConfiguration(
                intercom: .init(accessToken: Secret("token", source: .inline(key: "access_token"))),
                store: .init(path: files.path), triggers: .init(topics: topics),
                destinations: [
                    .init(name: "hook", kind: .webhook(webhook), topics: topics, timeout: .seconds(5), concurrency: 2)
                ])
            let daemon = try await Daemon.build(configuration: configuration, logger: DeliveryFixture.quiet)
            defer { try? daemon.store.close() }
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
}
