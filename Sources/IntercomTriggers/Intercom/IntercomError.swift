import Foundation

/// What can go wrong talking to Intercom. Descriptions never contain the access token.
public enum IntercomError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// 401: the access token is missing, invalid or lacks the scope. Not retried.
    case unauthorized(String)
    /// Any other HTTP error Intercom answered with (4xx, or 5xx once retries are exhausted), with
    /// the first entry of Intercom's `error.list`.
    case api(status: Int, code: String?, message: String?, requestID: String?)
    /// Still rate limited (429) after the configured number of waits.
    case rateLimited(resetAt: Date?)
    /// No response within the request timeout (after retries).
    case timedOut
    /// The connection failed (after retries).
    case transport(String)
    /// The body was not valid JSON (e.g. truncated) even after retries.
    case invalidResponse(String)
    /// Valid JSON of an unexpected shape (a missing id, a list without its items).
    case decoding(String)
    /// Refused before sending: Intercom would reject it (bad query, per_page out of range).
    case invalidRequest(String)
    /// The client was shut down; no new requests are admitted and waits end.
    case shutDown
    /// A request that is not safe to repeat (`POST /contacts`, a reply, a message) failed after it may have
    /// reached Intercom (a 5xx, a timeout, a dropped connection): it was not sent again, and Intercom may or
    /// may not have applied it. `request` is `METHOD /path`; `reason` the failure.
    case outcomeUnknown(request: String, reason: String)

    /// Whether retrying the same request may succeed (5xx, 408, timeouts, connection errors, bad JSON).
    public var isTransient: Bool {
        switch self {
        case .api(let status, _, _, _): status >= 500 || status == 408
        case .timedOut, .transport, .invalidResponse: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let message):
            "Intercom rejected the access token (401): \(message)"
        case .api(let status, let code, let message, let requestID):
            "Intercom answered \(status)"
                + (code.map { " \($0)" } ?? "")
                + (message.map { ": \($0)" } ?? "")
                + (requestID.map { " (request \($0))" } ?? "")
        case .rateLimited(let resetAt):
            "Intercom kept answering 429 Too Many Requests"
                + (resetAt.map { " (window resets at \(Int($0.timeIntervalSince1970)))" } ?? "")
        case .timedOut: "the request to Intercom timed out"
        case .transport(let message): "could not reach Intercom: \(message)"
        case .invalidResponse(let message): "Intercom sent an invalid response: \(message)"
        case .decoding(let message): "Intercom's response had an unexpected shape: \(message)"
        case .invalidRequest(let message): "invalid Intercom request: \(message)"
        case .shutDown: "the Intercom client is shut down"
        case .outcomeUnknown(let request, let reason):
            "\(request) may or may not have been applied by Intercom (\(reason)); it was not sent again. "
                + "Check whether it took effect (search for the record, or get the conversation replied to) "
                + "before sending it again"
        }
    }

    public var debugDescription: String { "IntercomError(\(description))" }
}
