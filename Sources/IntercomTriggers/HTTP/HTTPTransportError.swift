/// A request that produced no HTTP response.
public enum HTTPTransportError: Error, Sendable, Equatable {
    /// No complete response within the request's timeout.
    case timedOut
    /// The connection failed (refused, reset, DNS, TLS, …).
    case connection(String)
}
