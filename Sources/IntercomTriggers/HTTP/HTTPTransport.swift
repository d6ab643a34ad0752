/// Sends one HTTP request. The seam between the client and the network: `AsyncHTTPClientTransport`
/// for the Intercom API and `HTTP1Transport` for webhooks in production, a fake in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, whatever its status. Throws `HTTPTransportError`
    /// for a timeout or a connection failure. Redirects are returned, not followed.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
