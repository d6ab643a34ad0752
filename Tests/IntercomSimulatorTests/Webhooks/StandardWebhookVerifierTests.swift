import IntercomSimulator
import IntercomTriggersTesting
import Testing

@Suite("Standard Webhooks verifier (the receiver's side)")
struct StandardWebhookVerifierTests {
    /// The published test vectors (docs/notes: Standard Webhooks' Python tests, and Svix's docs).
    @Test(
        "Accepts the published vectors",
        arguments: [
            (
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330,
                #"{"test": 2432232314}"#, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
            ),
            (
                "whsec_plJ3nmyCDGBKInavdOK15jsl", "msg_loFOjxBNrRLzqYUf", 1_731_705_121,
                #"{"event_type":"ping","data":{"success":true}}"#, "v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0="
            ),
        ])
    func vectors(secret: String, id: String, timestamp: Int, body: String, signature: String) throws {
        let verifier = StandardWebhookVerifier(secret: secret)
        #expect(verifier.sign(id: id, timestamp: timestamp, body: Array(body.utf8)) == signature)
        try verifier.verify(
            id: id, timestamp: "\(timestamp)", signatureHeader: "v1a,xyz \(signature)", body: Array(body.utf8),
            now: timestamp + 10)
    }

    @Test("Refuses a changed body, a stale timestamp and missing headers")
    func refusals() {
        let verifier = StandardWebhookVerifier(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = verifier.sign(id: "msg_1", timestamp: 1000, body: body)
        #expect(throws: StandardWebhookVerifier.Failure.self) {
            try verifier.verify(
                id: "msg_1", timestamp: "1000", signatureHeader: signature, body: body + [0x20], now: 1000)
        }
        #expect(throws: StandardWebhookVerifier.Failure.stale(timestamp: 1000, now: 1301)) {
            try verifier.verify(id: "msg_1", timestamp: "1000", signatureHeader: signature, body: body, now: 1301)
        }
        #expect(throws: StandardWebhookVerifier.Failure.missingHeader("webhook-signature")) {
            try verifier.verify(id: "msg_1", timestamp: "1000", signatureHeader: nil, body: body, now: 1000)
        }
    }
}
