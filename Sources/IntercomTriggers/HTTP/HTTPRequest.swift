import Foundation

/// One HTTP request as handed to an `HTTPTransport`.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    /// Header fields in the order they are sent.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// The whole exchange must finish within this.
    public var timeout: Duration

    public init(
        method: HTTPMethod, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
