import Foundation
import Testing

@testable import IntercomTriggers

/// A webhook's `ca_file`, client certificate and `proxy` reach the transport on every attempt, with the webhook
/// body limit.
@Suite struct WebhookSinkConnectionTests {
    static let connections: [HTTPConnectionSettings] = [
        HTTPConnectionSettings(),
        HTTPConnectionSettings(
            caFile: "/etc/intercom-triggerd/ca.pem", clientCertificateFile: "/etc/intercom-triggerd/crm.crt",
            clientKeyFile: "/etc/intercom-triggerd/crm.key", proxy: .url("socks5h://proxy:1080")),
        HTTPConnectionSettings(proxy: .direct),
    ]

    @Test(arguments: connections)
    func eachAttemptCarriesTheWebhooksConnection(_ connection: HTTPConnectionSettings) async {
        let transport = FakeTransport([.ok(status: 503, ""), .ok("")])
        let webhook = DaemonConfiguration.Destination.Webhook(
            url: URL(string: "https://hooks.example.com/x")!,
            secret: Secret(ConfigFixture.whsec, source: .inline(key: "secret")), connection: connection)
        let sink = WebhookSink(webhook: webhook, timeout: .seconds(5), transport: transport, appID: { "app1" })
        #expect(sink.connection == connection)
        let entry = WebhookSinkTests.entry()
        _ = await sink.deliver(entry, attemptAt: WebhookSinkTests.now)
        #expect(await sink.deliver([entry], attemptAt: WebhookSinkTests.now + 5) == [.delivered])
        #expect(transport.requests.count == 2)
        for request in transport.requests {
            #expect(request.connection == connection)
            #expect(request.bodyLimit == .webhook)
            #expect(request.timeout == .seconds(5))
        }
    }

    @Test func aSinkBuiltWithoutSettingsUsesTheDefaults() async {
        let transport = FakeTransport([.ok("")])
        let sink = WebhookSink(
            url: URL(string: "https://hooks.example.com/x")!, signer: WebhookSigner(secret: nil), transport: transport,
            appID: { "app1" })
        _ = await sink.deliver(WebhookSinkTests.entry(), attemptAt: WebhookSinkTests.now)
        #expect(transport.requests.map(\.connection) == [HTTPConnectionSettings()])
        #expect(transport.requests.map(\.bodyLimit) == [.webhook])
    }
}
