import Foundation

/// One API request as the engine sees it: already authenticated, version-checked and rate-limited
/// by the HTTP layer, so the engine is testable without a server.
public struct SimRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `DELETE`.
    public var method: String
    /// The path without the query string, e.g. `/contacts/search`.
    public var path: String
    /// Decoded query parameters (the last value wins for a repeated name).
    public var query: [String: String]
    /// The raw request body, if any.
    public var body: Data?
    /// The `Intercom-Version` the caller asked for (already validated; `2.16` when absent).
    public var apiVersion: String

    public init(
        method: String, path: String, query: [String: String] = [:], body: Data? = nil,
        apiVersion: String = "2.16"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.apiVersion = apiVersion
    }
}
