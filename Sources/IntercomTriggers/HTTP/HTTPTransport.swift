/// Sends one HTTP request. The seam between the clients and the network: ``CurlTransport`` in production
/// (the Intercom API and every webhook), a fake in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, whatever its status. Throws `HTTPTransportError`
    /// for a timeout or a connection failure. Redirects are returned, not followed.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
