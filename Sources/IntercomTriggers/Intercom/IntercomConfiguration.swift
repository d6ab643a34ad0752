import Foundation

/// Where and how the client talks to Intercom. Its descriptions redact the access token and the proxy's password.
public struct IntercomConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The workspace's data region, which decides the API host.
    public enum Region: String, Sendable, CaseIterable {
        case us
        case eu
        case au

        /// The region's API host.
        public var baseURL: URL {
            switch self {
            case .us: URL(string: "https://api.intercom.io")!
            case .eu: URL(string: "https://api.eu.intercom.io")!
            case .au: URL(string: "https://api.au.intercom.io")!
            }
        }
    }

    public var region: Region
    /// Overrides the region's host (a simulator or a proxy).
    public var baseURLOverride: URL?
    /// Sent as `Authorization: Bearer …`; never logged or printed.
    public var accessToken: String
    /// Sent as `Intercom-Version` on every request.
    public var apiVersion: String
    /// Our ceiling on requests per minute, spread over 10-second windows (Intercom's own unit).
    public var maxRequestsPerMinute: Int
    /// How long one request may take, connection to last byte.
    public var requestTimeout: Duration
    public var retryPolicy: RetryPolicy
    /// How many 429 answers in a row a request waits out before failing with `.rateLimited`.
    public var maxRateLimitWaits: Int
    /// Up to this much is added to the wait after a 429, so clients sharing a workspace do not all
    /// retry at the same instant.
    public var rateLimitJitter: Duration
    /// Whom requests trust (`ca_file`) and which proxy they take (`proxy`); stamped on every request.
    public var connection: HTTPConnectionSettings

    public init(
        accessToken: String,
        region: Region = .us,
        baseURL: URL? = nil,
        apiVersion: String = "2.16",
        maxRequestsPerMinute: Int = 1000,
        requestTimeout: Duration = .seconds(30),
        retryPolicy: RetryPolicy = RetryPolicy(),
        maxRateLimitWaits: Int = 10,
        rateLimitJitter: Duration = .seconds(1),
        connection: HTTPConnectionSettings = HTTPConnectionSettings()
    ) {
        self.accessToken = accessToken
        self.region = region
        self.baseURLOverride = baseURL
        self.apiVersion = apiVersion
        self.maxRequestsPerMinute = maxRequestsPerMinute
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.maxRateLimitWaits = maxRateLimitWaits
        self.rateLimitJitter = rateLimitJitter
        self.connection = connection
    }

    /// The host requests go to: the override if set, else the region's host.
    public var baseURL: URL { baseURLOverride ?? region.baseURL }

    /// Requests allowed per 10-second window by our own ceiling: ⌈max/6⌉.
    public var requestsPerWindow: Int { max(1, (maxRequestsPerMinute + 5) / 6) }

    public var description: String {
        "IntercomConfiguration(baseURL: \(baseURL.absoluteString), apiVersion: \(apiVersion), "
            + "authorization: Bearer ***, maxRequestsPerMinute: \(maxRequestsPerMinute), "
            + "requestTimeout: \(requestTimeout), retryPolicy: \(retryPolicy), "
            + "connection: \(DaemonConfiguration.RedactedConnection(connection)))"
    }

    public var debugDescription: String { description }

    // `dump()` and debuggers read the mirror: show everything but the token.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "apiVersion": apiVersion, "accessToken": "***",
                "maxRequestsPerMinute": maxRequestsPerMinute, "requestTimeout": requestTimeout,
                "retryPolicy": retryPolicy, "connection": DaemonConfiguration.RedactedConnection(connection),
            ])
    }
}
