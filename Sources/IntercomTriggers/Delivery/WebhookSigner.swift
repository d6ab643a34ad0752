import Crypto
import Foundation

/// Signs webhook requests: Standard Webhooks v1 (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
/// and, optionally, Intercom's own `X-Hub-Signature` (HMAC-SHA1 of the body).
public struct WebhookSigner: Sendable {
    /// HMAC keys for `webhook-signature`, current first; during a rotation the previous key signs too.
    public let keys: [Data]
    /// The Intercom client secret for `X-Hub-Signature`, as UTF-8 bytes.
    public let hubKey: Data?
    /// `keys` made once: a delivery signs every attempt, thousands a second.
    private let symmetricKeys: [SigningKey]

    /// A `SymmetricKey` is an immutable value; swift-crypto 3 just does not declare it `Sendable`.
    private struct SigningKey: @unchecked Sendable {
        let key: SymmetricKey
    }

    /// Creates a signer from raw keys.
    public init(keys: [Data], hubKey: Data? = nil) {
        self.keys = keys
        self.hubKey = hubKey
        symmetricKeys = keys.map { SigningKey(key: SymmetricKey(data: $0)) }
    }

    /// Creates a signer from a destination's secrets; a secret that is not a valid `whsec_…` is skipped
    /// (the configuration refuses those before this).
    public init(secret: Secret?, previousSecret: Secret? = nil, intercomClientSecret: Secret? = nil) {
        self.init(
            keys: [secret, previousSecret].compactMap { $0?.webhookSigningKey },
            hubKey: intercomClientSecret.map { Data($0.value.utf8) })
    }

    /// The `webhook-signature` value for message `id` sent at `timestamp` with `body`: one `v1,<base64>`
    /// per key, space separated; `nil` with no key.
    public func signature(id: String, timestamp: Int, body: Data) -> String? {
        guard !symmetricKeys.isEmpty else { return nil }
        let prefix = Data("\(id).\(timestamp).".utf8)
        return symmetricKeys.map { signing in
            // `id.timestamp.body`, fed in two parts rather than copied into one message.
            var mac = HMAC<SHA256>(key: signing.key)
            mac.update(data: prefix)
            mac.update(data: body)
            return "v1," + Data(mac.finalize()).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The `X-Hub-Signature` value for `body` (`sha1=<hex>`), `nil` without an Intercom client secret.
    public func hubSignature(body: Data) -> String? {
        guard let hubKey else { return nil }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: hubKey))
        return "sha1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Every signing header for one attempt, in the order they are sent.
    public func headers(id: String, timestamp: Int, body: Data) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("webhook-id", id), ("webhook-timestamp", "\(timestamp)")]
        if let signature = signature(id: id, timestamp: timestamp, body: body) {
            headers.append(("webhook-signature", signature))
        }
        if let hub = hubSignature(body: body) {
            headers.append(("X-Hub-Signature", hub))
        }
        return headers
    }
}
