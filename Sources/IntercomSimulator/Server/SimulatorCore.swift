import Foundation

/// The request pipeline behind the HTTP server, free of any HTTP library so it is testable on its own:
/// control endpoints, then auth (which also picks the workspace), `Intercom-Version`, the workspace's rate
/// limit and faults, and finally the workspace itself.
final class SimulatorCore: Sendable {
    /// One HTTP request, reduced to what the pipeline reads.
    struct Incoming: Sendable {
        var method: String
        /// Percent-decoded path without the query string.
        var path: String
        var query: [String: String]
        var body: Data?
        /// The `Authorization` header, if sent.
        var authorization: String?
        /// The `Intercom-Version` header, if sent.
        var intercomVersion: String?
    }

    /// Paths under this prefix are test controls: no auth, no rate limit, not counted.
    static let controlPrefix = "/__sim"
    /// The version assumed when a request sends no `Intercom-Version`.
    static let defaultVersion = "2.16"

    let configuration: SimulatorConfiguration
    let clock: SimulatorClock
    /// Workspace k at index k - 1.
    let workspaces: [HostedWorkspace]
    private let plan: HostedWorkspace.Plan

    init(configuration: SimulatorConfiguration, clock: SimulatorClock) {
        self.configuration = configuration
        self.clock = clock
        let plan = HostedWorkspace.Plan(configuration: configuration, clock: clock)
        self.plan = plan
        workspaces = (1...configuration.servedWorkspaceCount).map { HostedWorkspace(number: $0, plan: plan) }
        // Workspace 1 is made at once, as the only workspace always was: callers may add records before start.
        _ = workspaces[0].parts
    }

    /// The workspace of the plain token, of control requests without a selector, and of the Swift API's
    /// workspace members.
    var defaultWorkspace: HostedWorkspace { workspaces[0] }

    /// Fixes the moment seed data is laid as of, and lays it in every workspace made so far (the others get
    /// theirs when first used).
    func start() {
        plan.start()
        for hosted in workspaces { hosted.seedIfMade() }
    }

    /// Answers one request.
    func respond(to incoming: Incoming) async -> SimResponse {
        if incoming.path == Self.controlPrefix || incoming.path.hasPrefix(Self.controlPrefix + "/") {
            return control(incoming)
        }
        let hosted = workspace(authorizedBy: incoming.authorization)
        let response = await api(incoming, hosted?.parts)
        // A request no workspace claims is counted with the default one, as a single-workspace simulator did.
        (hosted ?? defaultWorkspace).parts.statistics.record(
            method: incoming.method, path: incoming.path, status: response.status)
        return response
    }

    private func api(_ incoming: Incoming, _ parts: HostedWorkspace.Parts?) async -> SimResponse {
        // Intercom sends no rate-limit headers when the credentials are invalid (or revoked).
        guard let parts, !parts.faults.settings.tokenRevoked else { return Self.unauthorized() }
        let now = clock.now()
        let version = incoming.intercomVersion ?? Self.defaultVersion
        guard IntercomSimulatorInfo.supportedVersions.contains(version) else {
            var response = SimResponse.error(
                status: 400, code: "intercom_version_invalid", message: "The requested version could not be found")
            response.headers += parts.rateLimiter.peek(now: now).headers
            return response
        }
        let limit = parts.rateLimiter.admit(now: now)
        guard limit.allowed else { return Self.rateLimited(limit) }

        let fault = parts.faults.next()
        if fault.latency > .zero { try? await Task.sleep(for: fault.latency) }
        var response: SimResponse
        switch fault.status {
        case 401?:
            return Self.unauthorized()
        case 429?:
            return Self.rateLimited(
                RateLimiter.Decision(allowed: false, limit: limit.limit, remaining: 0, reset: limit.reset))
        case let status?:
            response = Self.faultResponse(status: status)
        case nil:
            let request = SimRequest(
                method: incoming.method, path: incoming.path, query: incoming.query, body: incoming.body,
                apiVersion: version)
            response = parts.workspace.handle(request)
        }
        if fault.truncate { response.body = Data(response.body.prefix(response.body.count / 2)) }
        response.headers += limit.headers
        return response
    }

    /// The workspace whose token the `Authorization` header carries as a bearer token, if any.
    private func workspace(authorizedBy header: String?) -> HostedWorkspace? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return configuration.workspaceNumber(forToken: token).map { workspaces[$0 - 1] }
    }

    static func unauthorized() -> SimResponse {
        .error(status: 401, code: "unauthorized", message: "Access Token Invalid")
    }

    static func rateLimited(_ limit: RateLimiter.Decision) -> SimResponse {
        var response = SimResponse.error(
            status: 429, code: "rate_limit_exceeded",
            message: "Exceeded rate limit of \(limit.limit) in \(RateLimiter.window)_seconds")
        response.headers += limit.headers
        return response
    }

    /// The body of an injected error, with the code Intercom uses for that status.
    static func faultResponse(status: Int) -> SimResponse {
        let (code, message): (String, String) =
            switch status {
            case 400: ("bad_request", "Bad Request")
            case 403: ("forbidden", "Forbidden")
            case 404: ("not_found", "Resource Not Found")
            case 409: ("conflict", "Conflict")
            case 422: ("parameter_invalid", "Unprocessable Entity")
            case 500: ("server_error", "Internal Server Error")
            case 502: ("server_error", "Bad Gateway")
            case 503: ("service_unavailable", "Service Unavailable")
            case 504: ("request_timeout", "Gateway Timeout")
            case 400..<500: ("client_error", "Client Error")
            default: ("server_error", "Server Error")
            }
        return .error(status: status, code: code, message: message)
    }
}
