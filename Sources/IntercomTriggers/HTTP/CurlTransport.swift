import Foundation

/// The daemon's one ``HTTPTransport`` — Intercom's API and every webhook — on the system libcurl.
///
/// Every transport shares the process's ``CurlDriver``: one libcurl multi handle, one thread, one connection
/// cache. Connections are kept alive per host; https receivers that offer HTTP/2 carry many lanes' requests
/// over one connection, others get HTTP/1.1 with a connection per request in flight. TLS 1.2 or newer with
/// certificate and host name checks, always; the system CA store unless the request names a CA file; a client
/// certificate where the request names one. Proxies per ``HTTPProxy``. Redirects are returned, not followed.
/// The request's timeout bounds the whole attempt: name lookup, connecting, TLS, sending and the whole answer.
/// A cancelled caller's transfer is removed at once. A request that found its kept-alive connection closed by
/// the server is sent again once on a fresh one by libcurl (at-least-once allows it: `webhook-id` is the same).
public struct CurlTransport: HTTPTransport {
    private let driver: CurlDriver
    private let environment: [String: String]
    /// The environment's proxy choice for http and for https URLs, worked out once rather than per request.
    private let environmentChoice: (http: CurlProxyChoice, https: CurlProxyChoice)

    /// A transport over the process's driver, reading proxy variables from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(driver: .shared, environment: environment)
    }

    init(driver: CurlDriver, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.driver = driver
        self.environment = environment
        environmentChoice = (
            CurlProxyChoice.choose(for: .environment, scheme: "http", environment: environment),
            CurlProxyChoice.choose(for: .environment, scheme: "https", environment: environment)
        )
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPTransportError.notConnected("not an http or https URL: \(request.url.scheme ?? "no scheme")")
        }
        let proxy =
            if case .environment = request.connection.proxy {
                scheme == "https" ? environmentChoice.https : environmentChoice.http
            } else {
                CurlProxyChoice.choose(for: request.connection.proxy, scheme: scheme, environment: environment)
            }
        let easy = driver.takeHandle()
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request: request, proxy: proxy, easy: easy)
        } catch {
            driver.recycle(easy)  // a refused request (a header with a line break) gives its handle back
            throw error
        }
        return try await transfer.wait(on: driver)
    }
}
