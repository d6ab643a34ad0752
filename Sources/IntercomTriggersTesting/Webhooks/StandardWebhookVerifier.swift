import Crypto
import Foundation

/// Checks one request against Standard Webhooks v1, as a receiver would: an HMAC-SHA256 signature over
/// `id.timestamp.body` keyed with the decoded bytes of a `whsec_` secret, and a timestamp within tolerance.
public struct StandardWebhookVerifier: Sendable {
    /// Why a request was refused.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missingHeader(String)
        case badTimestamp(String)
        case stale(timestamp: Int, now: Int)
        case noValidSignature(String)

        public var description: String {
            switch self {
            case .missingHeader(let name): "missing header \(name)"
            case .badTimestamp(let value): "webhook-timestamp is not an integer: \(value)"
            case .stale(let timestamp, let now): "webhook-timestamp \(timestamp) is too far from now (\(now))"
            case .noValidSignature(let header): "no signature matches: \(header)"
            }
        }
    }

    /// The decoded secret, made into a key once (the sink verifies thousands of requests a second).
    private let key: SigningKey
    /// The reference libraries accept five minutes either way.
    public let tolerance: Int

    /// - Parameter secret: `whsec_` followed by the base64 key bytes (padding optional).
    public init(secret: String, tolerance: Int = 300) {
        var encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        while encoded.count % 4 != 0 { encoded += "=" }
        key = SigningKey(key: SymmetricKey(data: Data(base64Encoded: encoded) ?? Data()))
        self.tolerance = tolerance
    }

    /// Throws a ``Failure`` unless one `v1` signature in `signatureHeader` matches and `timestamp` is fresh.
    public func verify(id: String?, timestamp: String?, signatureHeader: String?, body: [UInt8], now: Int) throws {
        guard let id else { throw Failure.missingHeader("webhook-id") }
        guard let timestamp else { throw Failure.missingHeader("webhook-timestamp") }
        guard let signatureHeader else { throw Failure.missingHeader("webhook-signature") }
        guard let seconds = Int(timestamp) else { throw Failure.badTimestamp(timestamp) }
        guard abs(now - seconds) <= tolerance else { throw Failure.stale(timestamp: seconds, now: now) }
        let expected = code(id: id, timestamp: timestamp, body: body)
        for entry in signatureHeader.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else {
                continue
            }
            if expected == mac { return }  // swift-crypto compares in constant time
        }
        throw Failure.noValidSignature(signatureHeader)
    }

    /// A `SymmetricKey` is an immutable value; swift-crypto 3 just does not declare it `Sendable`.
    private struct SigningKey: @unchecked Sendable {
        let key: SymmetricKey
    }

    /// The HMAC of `id.timestamp.body`, fed in two parts rather than copied into one message.
    private func code(id: String, timestamp: String, body: [UInt8]) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: key.key)
        hmac.update(data: Array("\(id).\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    /// The `v1,…` signature a sender would put in `webhook-signature` (for the verifier's own tests).
    public func sign(id: String, timestamp: Int, body: [UInt8]) -> String {
        "v1," + Data(code(id: id, timestamp: "\(timestamp)", body: body)).base64EncodedString()
    }
}
