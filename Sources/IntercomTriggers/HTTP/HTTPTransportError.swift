/// A request that produced no HTTP response.
public enum HTTPTransportError: Error, Sendable, Equatable {
    /// No complete response within the request's timeout.
    case timedOut
    /// The connection failed (reset, closed, TLS, …) after the request may have been sent.
    case connection(String)
    /// No connection could be made (refused, unreachable, no address, connect timeout): nothing of the
    /// request was sent, so the server provably did not act on it.
    case notConnected(String)
    /// The response body was longer than the request's ``HTTPBodyLimit/failAbove(_:)`` allows.
    case bodyTooLarge(Int)
}
