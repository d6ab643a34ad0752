import Foundation

/// POSTs each event's body (its ``EventFormat``: ``EventEnvelope`` by default) to a webhook receiver, signed per ``WebhookSigner``, and maps the
/// answer to a ``DeliveryOutcome`` (DESIGN §7).
///
/// Every attempt gets a fresh `webhook-timestamp` and signature over exactly the bytes sent. 2xx is
/// delivered; 3xx fails (redirects are never followed); 410 disables the destination; 429, 502, 503 and
/// 504 throttle the lane, for `Retry-After` when given; any other status, a timeout or a connection
/// error fails. Requests go through an ``HTTPTransport`` (the client's, in the daemon).
public struct WebhookSink: EventSink {
    /// Statuses that pause the whole lane.
    public static let throttlingStatuses: Set<Int> = [429, 502, 503, 504]
    /// How much of a response body an error message keeps.
    static let bodyPrefixLength = 120

    /// The receiver.
    public let url: URL
    public let signer: WebhookSigner
    /// How long one attempt may take, end to end.
    public let timeout: Duration
    /// The workspace id written as each envelope's `app_id`, read at delivery time.
    public let appID: @Sendable () -> String
    /// Whom requests trust, which client certificate they present and which proxy they take.
    public let connection: HTTPConnectionSettings
    /// The body format and its `Content-Type`.
    public let format: EventFormat

    private let transport: any HTTPTransport

    /// Creates a sink posting to `url` through `transport`.
    public init(
        url: URL, signer: WebhookSigner, timeout: Duration = .seconds(15),
        connection: HTTPConnectionSettings = HTTPConnectionSettings(), format: EventFormat = .intercom,
        transport: any HTTPTransport, appID: @escaping @Sendable () -> String
    ) {
        self.url = url
        self.format = format
        self.signer = signer
        self.timeout = timeout
        self.connection = connection
        self.transport = transport
        self.appID = appID
    }

    /// Creates the sink of a configured webhook destination.
    public init(
        webhook: DaemonConfiguration.Destination.Webhook, timeout: Duration, format: EventFormat = .intercom,
        transport: any HTTPTransport, appID: @escaping @Sendable () -> String
    ) {
        self.init(
            url: webhook.url,
            signer: WebhookSigner(
                secret: webhook.secret, previousSecret: webhook.previousSecret,
                intercomClientSecret: webhook.intercomClientSecret),
            timeout: timeout, connection: webhook.connection, format: format, transport: transport, appID: appID)
    }

    /// Posts the entries one after another (the lane runs several sink calls at once for concurrency).
    public func deliver(_ entries: [OutboxEntry], attemptAt: Int) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for entry in entries {
            outcomes.append(await deliver(entry, attemptAt: attemptAt))
        }
        return outcomes
    }

    /// One attempt of `entry` at `attemptAt` (Unix seconds, also `webhook-timestamp`).
    public func deliver(_ entry: OutboxEntry, attemptAt: Int) async -> DeliveryOutcome {
        let request = request(for: entry, attemptAt: attemptAt)
        do {
            let response = try await transport.send(request)
            return Self.outcome(of: response, now: attemptAt)
        } catch HTTPTransportError.timedOut {
            return .failed(status: nil, error: "timed out after \(timeout)", retryAfter: nil)
        } catch HTTPTransportError.connection(let reason), HTTPTransportError.notConnected(let reason) {
            return .failed(status: nil, error: "connection failed: \(reason)", retryAfter: nil)
        } catch HTTPTransportError.bodyTooLarge(let limit) {
            return .failed(status: nil, error: "the answer is longer than \(limit) bytes", retryAfter: nil)
        } catch {
            return .failed(status: nil, error: "request failed: \(error)", retryAfter: nil)
        }
    }

    /// The signed request of one attempt.
    func request(for entry: OutboxEntry, attemptAt: Int) -> HTTPRequest {
        let body = format.body(of: entry, appID: self.appID(), attemptAt: attemptAt)
        var headers: [(name: String, value: String)] = [
            ("Content-Type", format.contentType), ("User-Agent", "intercom-triggerd/\(IntercomTriggers.version)"),
        ]
        headers += signer.headers(id: entry.event.id, timestamp: attemptAt, body: body)
        return HTTPRequest(
            method: .post, url: url, headers: headers, body: body, timeout: timeout, connection: connection,
            bodyLimit: .webhook)
    }

    /// What a response means for the lane (`now`: Unix seconds, for a `Retry-After` date).
    static func outcome(of response: HTTPResponse, now: Int) -> DeliveryOutcome {
        let status = response.status
        switch status {
        case 200..<300:
            return .delivered
        case 300..<400:
            let location = response.header("Location").map { " to \(prefix($0))" } ?? ""
            return .failed(status: status, error: "HTTP \(status): redirect\(location) not followed", retryAfter: nil)
        case 410:
            return .disable(reason: "HTTP 410 Gone: the receiver asked for no more deliveries")
        default:
            let error = "HTTP \(status)" + (response.body.isEmpty ? "" : ": \(prefix(response.body))")
            if throttlingStatuses.contains(status) {
                return .throttled(
                    status: status, error: error,
                    retryAfter: response.header("Retry-After").flatMap { RetryAfter.delay($0, now: now) })
            }
            return .failed(status: status, error: error, retryAfter: nil)
        }
    }

    /// A short, single-line prefix of a response body or header, safe for logs and the store.
    static func prefix(_ body: Data) -> String {
        prefix(String(decoding: body.prefix(bodyPrefixLength * 4), as: UTF8.self))
    }

    /// Line breaks become spaces; other control characters are escaped before the text is stored, so
    /// `status`, `dead-letters` and the log never get a receiver's raw ESC sequences or bidi overrides.
    static func prefix(_ text: String) -> String {
        let line = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        let cut = line.count > bodyPrefixLength ? String(line.prefix(bodyPrefixLength)) + "…" : line
        return cut.escapingControlCharacters
    }
}
