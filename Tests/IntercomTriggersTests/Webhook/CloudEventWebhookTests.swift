import Crypto
import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// A webhook destination with `format = "cloudevents"`: structured mode, signed like every other body.
@Suite struct CloudEventWebhookTests {
    static let now = Int(Date().timeIntervalSince1970)
    static let clientSecret = "client_secret_7f3a"

    static func entry(id: String = "evt-\"1\"", attempts: Int = 0) -> OutboxEntry {
        OutboxEntry(
            destination: "hook",
            event: StoredEvent(
                seq: 1, id: id, topic: "contact.user.updated", itemID: "c1", version: 1_763_716_800,
                detectedAt: now, item: Data(#"{"type":"contact","id":"c1"}"#.utf8), workspaceID: "ws_7",
                changes: Data(#"{"email":{"previous":null,"current":"a@example.com"}}"#.utf8)),
            attempts: attempts, nextAttemptAt: now, firstSentAt: attempts == 0 ? nil : now - 60)
    }

    static func sink(_ url: URL, format: EventFormat) -> WebhookSink {
        WebhookSink(
            url: url,
            signer: WebhookSigner(
                secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret")),
                intercomClientSecret: Secret(clientSecret, source: .inline(key: "intercom_client_secret"))),
            format: format, transport: CurlTransport(), appID: { "ws_other" })
    }

    @Test func theCloudEventIsSentInStructuredModeAndSignedOverTheBytesSent() async throws {
        try await WebhookReceiver.withRunning { receiver in
            let sink = Self.sink(receiver.url, format: .cloudevents)
            #expect(await sink.deliver(Self.entry(), attemptAt: Self.now) == .delivered)
            #expect(await sink.deliver(Self.entry(attempts: 1), attemptAt: Self.now + 30) == .delivered)
            // The receiver verified each request's Standard Webhooks signature, its timestamp and its Content-Type.
            #expect(receiver.problems.isEmpty)
            let requests = receiver.requests
            try #require(requests.count == 2)
            let expected = CloudEvent(entry: Self.entry(), appID: "ws_other").body
            for request in requests {
                #expect(request.body == expected)
                #expect(request.header("Content-Type") == "application/cloudevents+json")
                #expect(request.header("webhook-id") == "evt-\"1\"")
                let object = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                #expect(object["id"] as? String == request.header("webhook-id"))
                #expect(object["source"] as? String == "https://app.intercom.com/a/apps/ws_7")
                let mac = HMAC<Insecure.SHA1>.authenticationCode(
                    for: request.body, using: SymmetricKey(data: Data(Self.clientSecret.utf8)))
                #expect(request.header("X-Hub-Signature") == "sha1=" + mac.map { String(format: "%02x", $0) }.joined())
            }
            // Same bytes on a retry, a fresh timestamp and signature.
            #expect(requests.map { $0.header("webhook-timestamp") } == ["\(Self.now)", "\(Self.now + 30)"])
            #expect(requests[0].header("webhook-signature") != requests[1].header("webhook-signature"))
            let verifier = StandardWebhookVerifier(secret: WebhookReceiver.secret)
            #expect(
                throws: StandardWebhookVerifier.Failure.self,
                "a changed byte breaks the signature"
            ) {
                var tampered = Array(requests[0].body)
                tampered[tampered.count - 3] ^= 0x01
                try verifier.verify(
                    id: requests[0].header("webhook-id"), timestamp: requests[0].header("webhook-timestamp"),
                    signatureHeader: requests[0].header("webhook-signature"), body: tampered, now: Self.now)
            }
        }
    }

    @Test func theIntercomFormatStaysTheDefault() async throws {
        try await WebhookReceiver.withRunning { receiver in
            let sink = WebhookSink(
                url: receiver.url,
                signer: WebhookSigner(secret: Secret(WebhookReceiver.secret, source: .inline(key: "s"))),
                transport: CurlTransport(), appID: { "ws" })
            #expect(sink.format == .intercom)
            // (The receiver reads an envelope's id off its head: a plain one.)
            #expect(await sink.deliver(Self.entry(id: "evt-1"), attemptAt: Self.now) == .delivered)
            #expect(receiver.problems.isEmpty)
            let request = try #require(receiver.requests.first)
            #expect(request.header("Content-Type") == "application/json")
            #expect(
                request.body == EventEnvelope(entry: Self.entry(id: "evt-1"), appID: "ws", attemptAt: Self.now).body)
        }
    }

    @Test(arguments: EventFormat.allCases)
    func aConfiguredDestinationsFormatReachesItsSink(format: EventFormat) {
        let webhook = DaemonConfiguration.Destination.Webhook(url: URL(string: "https://hooks.example.com/x")!)
        let sink = WebhookSink(
            webhook: webhook, timeout: .seconds(1), format: format, transport: CurlTransport(), appID: { "ws" })
        #expect(sink.format == format)
        #expect(sink.request(for: Self.entry(), attemptAt: 1).header("Content-Type") == format.contentType)
    }
}
