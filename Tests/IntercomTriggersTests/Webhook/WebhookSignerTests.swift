import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct WebhookSignerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var secret: String
        var id: String
        var timestamp: Int
        var body: String
        var signature: String
        var testDescription: String { id }
    }

    /// The Standard Webhooks reference vector and Svix's documented one.
    static let vectors = [
        Vector(
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: #"{"test": 2432232314}"#, signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        Vector(
            secret: "whsec_plJ3nmyCDGBKInavdOK15jsl", id: "msg_loFOjxBNrRLzqYUf", timestamp: 1_731_705_121,
            body: #"{"event_type":"ping","data":{"success":true}}"#,
            signature: "v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0="),
    ]

    static func secret(_ value: String) -> Secret { Secret(value, source: .inline(key: "secret")) }

    @Test(arguments: vectors) func signsTheReferenceVectors(_ vector: Vector) throws {
        // Svix's docs vector has an 18-byte key, shorter than a configured secret may be: pass the key itself.
        let key = try #require(Data(base64Encoded: String(vector.secret.dropFirst("whsec_".count))))
        let signer = WebhookSigner(keys: [key])
        #expect(
            signer.signature(id: vector.id, timestamp: vector.timestamp, body: Data(vector.body.utf8))
                == vector.signature)
    }

    @Test func signsWithAConfiguredSecret() {
        let vector = Self.vectors[0]
        let signer = WebhookSigner(secret: Self.secret(vector.secret))
        #expect(
            signer.signature(id: vector.id, timestamp: vector.timestamp, body: Data(vector.body.utf8))
                == vector.signature)
    }

    @Test func signsWithBothSecretsWhileRotating() {
        let signer = WebhookSigner(
            secret: Self.secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            previousSecret: Self.secret("whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="))
        let signature = signer.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
        // The second value is the same message under the old key (computed with Python's hmac).
        #expect(
            signature
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,hK4CWvngkaAwjY1pABLuUbOIkEJjW9tAapq1no4ojG0=")
    }

    @Test func addsXHubSignatureWithTheIntercomClientSecret() {
        let signer = WebhookSigner(
            secret: nil, intercomClientSecret: Secret("abc123secret", source: .inline(key: "intercom_client_secret")))
        let body = Data(#"{"test": 2432232314}"#.utf8)
        #expect(signer.hubSignature(body: body) == "sha1=809c60e95423e950b36e93b85c5dc9134223a512")
        let headers = signer.headers(id: "e1", timestamp: 5, body: body)
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "X-Hub-Signature"])
    }

    @Test func headersCarryIdTimestampAndSignature() {
        let vector = Self.vectors[0]
        let signer = WebhookSigner(secret: Self.secret(vector.secret))
        let headers = signer.headers(id: vector.id, timestamp: vector.timestamp, body: Data(vector.body.utf8))
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value) == [vector.id, "\(vector.timestamp)", vector.signature])
    }

    @Test func withoutSecretsNothingIsSigned() {
        let signer = WebhookSigner(secret: nil)
        #expect(signer.signature(id: "e", timestamp: 1, body: Data()) == nil)
        #expect(signer.hubSignature(body: Data()) == nil)
    }
}
