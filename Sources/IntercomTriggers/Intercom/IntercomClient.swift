import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The one way the project talks to Intercom: authenticated, versioned, paced by a shared
/// `RateLimiter`, retried with backoff on transient failures, and shut down cleanly.
///
/// Endpoint methods live in extensions by resource; all of them go through `perform`.
public final class IntercomClient: Sendable, Service {
    public let configuration: IntercomConfiguration
    /// Shared by every caller of this client (and of any client given the same limiter).
    public let rateLimiter: RateLimiter

    let transport: any HTTPTransport
    let clock: any WallClock
    let logger: Logger
    /// Uniform random numbers in `0..<1` for jitter; injectable so tests are deterministic.
    let random: @Sendable () -> Double
    let lifecycle = ShutdownCoordinator()
    /// Intercom's clock, from the `Date` header of its responses.
    let intercomClock = IntercomClock()
    /// Where responses by status and rate-limit waits are counted.
    public let telemetry: DaemonTelemetry
    /// The name of the workspace the client serves: the `workspace` label of what it counts.
    public let workspace: String
    /// The headers of every request without, and with, a body.
    private let plainHeaders: [(name: String, value: String)]
    private let bodyHeaders: [(name: String, value: String)]
    /// URLs of paths without a query, as built once (a poll asks for the same two every cycle).
    private let plainURLs = Mutex<[String: URL]>([:])
    /// How many such URLs are kept (paths with ids are many; the cache only needs the polled ones).
    private static let plainURLLimit = 64

    /// - Parameters:
    ///   - rateLimiter: pass one to share a workspace budget among several clients; by default the
    ///     client makes its own from `configuration.maxRequestsPerMinute`.
    ///   - random: uniform numbers in `0..<1` for backoff and rate-limit jitter.
    ///   - telemetry: where responses by status and rate-limit waits are counted.
    ///   - workspace: the name of the workspace it serves, in what it counts.
    public init(
        configuration: IntercomConfiguration,
        transport: any HTTPTransport = CurlTransport(),
        clock: any WallClock = SystemWallClock(),
        rateLimiter: RateLimiter? = nil,
        logger: Logger = Logger(label: "intercom-triggerd.intercom"),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        telemetry: DaemonTelemetry = DaemonTelemetry(),
        workspace: String = DaemonConfiguration.Workspace.defaultName
    ) {
        self.workspace = workspace
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
        self.rateLimiter =
            rateLimiter ?? RateLimiter(maxRequestsPerMinute: configuration.maxRequestsPerMinute, clock: clock)
        self.logger = logger
        self.random = random
        self.telemetry = telemetry
        plainHeaders = [
            ("Authorization", "Bearer \(configuration.accessToken)"),
            ("Intercom-Version", configuration.apiVersion),
            ("Accept", "application/json"),
            ("User-Agent", "intercom-triggerd/\(IntercomTriggers.version)"),
        ]
        bodyHeaders = plainHeaders + [("Content-Type", "application/json")]
    }

    // MARK: - Lifecycle

    /// Stops admitting requests (they throw `IntercomError.shutDown`), wakes every request waiting
    /// on the rate limiter or a backoff (they throw `shutDown`), and returns once the requests
    /// already on the wire have finished (each bounded by the request timeout).
    public func shutdown() async {
        await lifecycle.shutdown()
    }

    /// As a service: runs until graceful shutdown (or cancellation), then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    // MARK: - Intercom's clock

    /// Intercom's current time: the `Date` of its last response that had a usable one, plus the time the
    /// client's clock says has passed since it arrived. Nil before any such response. Intercom's clock, not the
    /// host's, says how far its search index can have got.
    public func serverNow() -> Date? {
        intercomClock.now(hostNow: clock.now())
    }

    /// Keeps the response's `Date` and says, once per change, when the host clock and Intercom's disagree.
    private func noteDate(of response: HTTPResponse) {
        guard let change = intercomClock.record(dateHeader: response.header("Date"), receivedAt: clock.now()) else {
            return
        }
        switch change {
        case .drifted(let skew):
            logger.warning(
                "the host clock and Intercom's differ by more than a minute; check the host's time synchronisation",
                metadata: ["intercom_minus_host_seconds": "\(Int(skew.rounded()))"])
        case .agreed(let skew):
            logger.info(
                "the host clock agrees with Intercom's again",
                metadata: ["intercom_minus_host_seconds": "\(Int(skew.rounded()))"])
        }
    }

    // MARK: - Raw requests

    /// Sends any request and returns the 2xx response, for commands that forward user JSON.
    /// `path` may carry a query string (`/contacts?per_page=5`) and must be percent-encoded.
    /// Non-2xx answers throw `IntercomError`; a non-empty body must be valid JSON.
    public func send(
        _ method: HTTPMethod, path: String, query: [URLQueryItem] = [], body: Data? = nil
    ) async throws -> HTTPResponse {
        try await perform(method, path, query: query, body: body) { $0 }
    }

    // MARK: - The one send path

    /// Sends one request through the rate limiter with retries and hands a 2xx response to `decode`.
    /// A 2xx body that is not valid JSON (truncated, garbled) is retried like a 5xx: it is validated first,
    /// unless `decodeValidates` says that `decode` scans the whole body itself (a ``ListBody``) and throws
    /// `JSONScanner.SyntaxError` — one scan of a page instead of two.
    ///
    /// A request that is not idempotent (``isIdempotent(_:path:)``) is retried only after 429s and failures to
    /// connect; any other transient failure may have left it applied, and throws `outcomeUnknown` at once.
    func perform<T>(
        _ method: HTTPMethod, _ path: String, query: [URLQueryItem] = [], body: Data? = nil,
        decodeValidates: Bool = false, decode: (HTTPResponse) throws -> T
    ) async throws -> T {
        try lifecycle.checkRunning()
        let request = HTTPRequest(
            method: method, url: try url(path: path, query: query), headers: headers(hasBody: body != nil),
            body: body, timeout: configuration.requestTimeout, connection: configuration.connection, bodyLimit: .api)
        let policy = configuration.retryPolicy
        let idempotent = Self.isIdempotent(method, path: path)
        var attempt = 0
        var rateLimitWaits = 0
        while true {
            attempt += 1
            let lifecycle = self.lifecycle
            let clock = self.clock
            let (telemetry, workspace) = (self.telemetry, self.workspace)
            try await rateLimiter.acquire(sleep: {
                telemetry.rateLimitWaited($0, workspace: workspace)
                try await lifecycle.sleep(for: $0, on: clock)
            })
            try lifecycle.enterWire()
            let started = ContinuousClock.now
            let result: Result<HTTPResponse, any Error>
            do {
                result = .success(try await transport.send(request))
            } catch {
                result = .failure(error)
            }
            lifecycle.leaveWire()
            let elapsed = ContinuousClock.now - started

            let failure: IntercomError
            // False only when nothing of the request left the host.
            var mayHaveArrived = true
            switch result {
            case .failure(let error):
                failure = Self.transportFailure(error)
                if case HTTPTransportError.notConnected = error { mayHaveArrived = false }
                log(request, status: nil, elapsed: elapsed, attempt: attempt, failure: failure)
                telemetry.intercomResponse(status: nil, workspace: workspace)
            case .success(let response):
                noteDate(of: response)
                log(request, status: response.status, elapsed: elapsed, attempt: attempt, failure: nil)
                telemetry.intercomResponse(status: response.status, workspace: workspace)
                let resetAt = RateLimiter.resetTime(response.header("X-RateLimit-Reset"))
                await rateLimiter.record(
                    remaining: response.header("X-RateLimit-Remaining").flatMap { Int($0) }, resetAt: resetAt)
                if response.status == 429 {
                    rateLimitWaits += 1
                    guard rateLimitWaits <= configuration.maxRateLimitWaits else {
                        throw IntercomError.rateLimited(resetAt: resetAt)
                    }
                    let jitter = RetryPolicy.seconds(configuration.rateLimitJitter) * random()
                    await rateLimiter.recordRateLimited(
                        resetAt: resetAt, jitter: .milliseconds(Int64((jitter * 1000).rounded())))
                    logger.debug(
                        "Intercom rate limit reached; waiting for the window to reset",
                        metadata: ["reset_at": "\(resetAt.map { Int($0.timeIntervalSince1970) } ?? 0)"])
                    attempt -= 1  // a 429 is paced by the limiter, not counted as a failed attempt
                    continue
                }
                if (200..<300).contains(response.status) {
                    do {
                        // A truncated or garbled body is transient: it is retried, never decoded.
                        if !decodeValidates, !response.body.isEmpty { _ = try JSONScanner(response.body).validate() }
                        return try decode(response)
                    } catch let error as JSONScanner.SyntaxError {
                        failure = .invalidResponse(error.description)
                    } catch let error as IntercomError {
                        throw error
                    } catch {
                        throw IntercomError.decoding(redact(String(describing: error)))
                    }
                } else {
                    failure = apiError(response)
                    if case .unauthorized = failure { throw failure }
                }
            }
            guard failure.isTransient else { throw failure }
            if !idempotent, mayHaveArrived {
                throw IntercomError.outcomeUnknown(
                    request: "\(method.rawValue) \(path.prefix { $0 != "?" })", reason: redact(failure.description))
            }
            guard attempt < policy.maxAttempts else { throw failure }
            let delay = policy.delay(beforeRetry: attempt, unit: random())
            logger.debug(
                "retrying Intercom request",
                metadata: [
                    "method": "\(method.rawValue)", "path": "\(path)", "attempt": "\(attempt)",
                    "delay_ms": "\(Self.milliseconds(delay))", "error": "\(redact(failure.description))",
                ])
            try await lifecycle.sleep(for: delay, on: clock)
        }
    }

    /// Decodes an error answer: 401 → `unauthorized`; anything else → `api` with Intercom's code and message.
    private func apiError(_ response: HTTPResponse) -> IntercomError {
        let body = try? JSONDecoder().decode(IntercomErrorBody.self, from: response.body)
        let first = body?.errors.first
        let message = first?.message.map(redact)
        if response.status == 401 {
            return .unauthorized(message ?? first?.code ?? "unauthorized")
        }
        return .api(
            status: response.status, code: first?.code.map(redact), message: message,
            requestID: body?.requestID ?? response.header("X-Request-Id"))
    }

    private static func transportFailure(_ error: any Error) -> IntercomError {
        switch error {
        case HTTPTransportError.timedOut: .timedOut
        case HTTPTransportError.connection(let message), HTTPTransportError.notConnected(let message):
            .transport(message)
        case HTTPTransportError.bodyTooLarge(let limit):
            .invalidResponse("the response body is longer than the \(limit >> 20) MiB allowed")
        case let error as IntercomError: error
        default: .transport(String(describing: error))
        }
    }

    /// The token must never reach a log line or an error, even if a server echoes it back.
    func redact(_ text: String) -> String {
        let token = configuration.accessToken
        guard !token.isEmpty else { return text }
        return text.replacingOccurrences(of: token, with: "***")
    }

    private func log(
        _ request: HTTPRequest, status: Int?, elapsed: Duration, attempt: Int, failure: IntercomError?
    ) {
        guard logger.logLevel <= .debug else { return }  // not even the metadata on every poll's request
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "path": "\(request.url.path)",
            "attempt": "\(attempt)",
            "duration_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let status { metadata["status"] = "\(status)" }
        if let failure { metadata["error"] = "\(redact(failure.description))" }
        logger.debug("Intercom request", metadata: metadata)
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private func headers(hasBody: Bool) -> [(name: String, value: String)] {
        hasBody ? bodyHeaders : plainHeaders
    }

    /// The base URL joined with `path` (which may carry `?query`) and `query`; built once for a path without a
    /// query (kept up to ``plainURLLimit``).
    private func url(path: String, query: [URLQueryItem]) throws(IntercomError) -> URL {
        guard query.isEmpty, !path.utf8.contains(UInt8(ascii: "?")) else {
            return try buildURL(path: path, query: query)
        }
        if let known = plainURLs.withLock({ $0[path] }) { return known }
        let url = try buildURL(path: path, query: [])
        plainURLs.withLock { if $0.count < Self.plainURLLimit { $0[path] = url } }
        return url
    }

    private func buildURL(path: String, query: [URLQueryItem]) throws(IntercomError) -> URL {
        guard var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false) else {
            throw .invalidRequest("bad base URL \(configuration.baseURL.absoluteString)")
        }
        var path = path
        var items = query
        if let mark = path.firstIndex(of: "?") {
            let inline = URLComponents(string: "http://x/?" + path[path.index(after: mark)...])?.queryItems ?? []
            items = inline + items
            path = String(path[..<mark])
        }
        let prefix =
            components.percentEncodedPath.hasSuffix("/")
            ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        components.percentEncodedPath = prefix + (path.hasPrefix("/") ? path : "/" + path)
        // Encoded by hand: URLComponents leaves '+' alone, which servers read as a space, and
        // base64 cursors contain '+'.
        components.percentEncodedQuery =
            items.isEmpty
            ? nil
            : items.map { Self.queryComponent($0.name) + "=" + Self.queryComponent($0.value ?? "") }
                .joined(separator: "&")
        guard let url = components.url else { throw .invalidRequest("bad request path \(path)") }
        return url
    }

    private static func queryComponent(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "+&=;#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// `value` percent-encoded as one path segment.
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
