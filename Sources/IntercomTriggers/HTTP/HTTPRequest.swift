import Foundation

/// One HTTP request as handed to an `HTTPTransport`.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    /// Header fields in the order they are sent.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// The whole exchange must finish within this: name lookup, connecting, TLS, sending, headers and body.
    public var timeout: Duration
    /// Whom to trust, which client certificate to present, and which proxy to use.
    public var connection: HTTPConnectionSettings
    /// How much of the response body to keep.
    public var bodyLimit: HTTPBodyLimit

    public init(
        method: HTTPMethod, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
        timeout: Duration = .seconds(30), connection: HTTPConnectionSettings = HTTPConnectionSettings(),
        bodyLimit: HTTPBodyLimit = .api
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connection = connection
        self.bodyLimit = bodyLimit
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { HTTPHeaderName.equal($0.name, name) }?.value
    }
}
