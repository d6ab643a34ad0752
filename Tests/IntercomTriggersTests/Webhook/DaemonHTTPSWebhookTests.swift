import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// A daemon's webhook lane to an https receiver (nginx terminating TLS with HTTP/2 in front of a
/// ``WebhookReceiver``), trusting the receiver's private CA through the destination's `ca_file`.
@Suite struct DaemonHTTPSWebhookTests {
    /// Builds the daemon with one https destination to `terminator`, commits five events and runs its lanes
    /// until `done` holds for the fixture.
    static func deliver(
        to terminator: TLSTerminator, caFile: String?, store path: String,
        until done: @escaping (DeliveryFixture) async throws -> Bool
    ) async throws -> (events: [StoredEvent], pending: [OutboxEntry]) {
        let topics = TopicCatalog.defaults
        let webhook = DaemonConfiguration.Destination.Webhook(
            url: terminator.url("/hook"), secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")),
            connection: HTTPConnectionSettings(caFile: caFile, proxy: .direct))
        let configuration = DaemonConfiguration(
            intercom: .init(accessToken: Secret("token", source: .inline(key: "access_token"))),
            store: .init(path: path), triggers: .init(topics: topics),
            destinations: [
                .init(name: "hook", kind: .webhook(webhook), topics: topics, timeout: .seconds(20), concurrency: 4)
            ])
        let daemon = try await Daemon.build(configuration: configuration, logger: DeliveryFixture.quiet)
        defer { try? daemon.store.close() }
        daemon.identity.set("app1")
        let events = try await daemon.store.commitPage(
            StoreFixture.page(
                (0..<5).map { StoreFixture.candidate(topics[0].name, "c\($0)", 1) }, routes: ["hook": nil],
                detectedAt: Int(Date().timeIntervalSince1970)))
        let fixture = DeliveryFixture(store: daemon.store, clock: ManualWallClock())
        try await fixture.running(daemon.lanes) {
            try await eventually("the lane's outcomes") { try await done(fixture) }
        }
        return (events, try await fixture.pending("hook"))
    }

    /// A ``WebhookReceiver`` behind nginx terminating TLS with HTTP/2, its certificate from a CA made for the
    /// test; a fresh store path for the daemon.
    static func withHTTPSReceiver(
        _ body: (TestCertificates, WebhookReceiver, TLSTerminator, String) async throws -> Void
    ) async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        try await TestCertificates.withGenerated { certificates in
            try await WebhookReceiver.withRunning { receiver in
                let configuration = TLSTerminatorConfiguration(
                    mode: .http2, backendPort: receiver.port, certificate: certificates.server)
                try await TLSTerminator.withRunning(configuration) { terminator in
                    try await body(certificates, receiver, terminator, files.path)
                }
            }
        }
    }

    @Test func eventsReachAnHTTPSReceiverOverHTTP2TrustingItsCAFile() async throws {
        try await Self.withHTTPSReceiver { certificates, receiver, terminator, store in
            let (events, _) = try await Self.deliver(to: terminator, caFile: certificates.caFile, store: store) {
                try await $0.deliveredCount("hook", of: 5) == 5
            }
            #expect(Set(receiver.requests.compactMap(\.eventID)) == Set(events.map(\.id)))
            #expect(receiver.problems.isEmpty)
            let log = terminator.accessLog()
            #expect(log.count == 5)
            #expect(log.allSatisfy { $0.serverProtocol == "HTTP/2.0" && $0.status == 200 })
        }
    }

    @Test func aReceiverWhoseCAIsNotTrustedGetsNothingAndTheRowsSayWhy() async throws {
        try await Self.withHTTPSReceiver { _, receiver, terminator, store in
            // No ca_file: the system store, which does not hold the test's CA.
            let (_, pending) = try await Self.deliver(to: terminator, caFile: nil, store: store) {
                try await $0.pending("hook").allSatisfy { $0.attempts >= 1 }
            }
            #expect(pending.count == 5)
            #expect(
                pending.allSatisfy { ($0.lastError ?? "").localizedCaseInsensitiveContains("certificate") },
                "\(pending.map(\.lastError))")
            #expect(receiver.requests.isEmpty)
            #expect(terminator.accessLog().isEmpty)
        }
    }
}
