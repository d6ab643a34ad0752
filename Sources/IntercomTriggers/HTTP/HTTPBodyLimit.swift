/// How much of a response body a request keeps.
public enum HTTPBodyLimit: Sendable, Hashable {
    /// Keeps the first `bytes` and stops reading there; the response is still returned (a webhook receiver's
    /// answer only feeds error messages, and a 2xx with a long body is still a delivery).
    case keepFirst(Int)
    /// A longer body fails the request with ``HTTPTransportError/bodyTooLarge(_:)`` (an API page is far smaller).
    case failAbove(Int)

    /// The webhook default: 64 KiB.
    public static let webhook = HTTPBodyLimit.keepFirst(64 << 10)
    /// The Intercom default: 32 MiB.
    public static let api = HTTPBodyLimit.failAbove(32 << 20)
}
