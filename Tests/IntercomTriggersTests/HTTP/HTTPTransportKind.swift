import Testing

@testable import IntercomTriggers

/// The webhook lanes' transport (plain HTTP) and the general one (Intercom, `https` destinations): tests that
/// both map every answer and failure the same way take one of each.
enum HTTPTransportKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case http1, asyncHTTPClient
    var testDescription: String { rawValue }
    var transport: any HTTPTransport {
        switch self {
        // Its own pool: the shared one may hold a connection to an earlier test's receiver on a reused port.
        case .http1: HTTP1Transport(pool: HTTP1ConnectionPool())
        case .asyncHTTPClient: AsyncHTTPClientTransport()
        }
    }
}
