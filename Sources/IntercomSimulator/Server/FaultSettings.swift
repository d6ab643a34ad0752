/// Injected faults of one workspace. The random ones apply to API requests that passed auth, version and
/// rate-limit checks; their draws come from a seeded generator (`SimulatorConfiguration.seed`), so a run is
/// reproducible. `tokenRevoked` applies with the credentials.
public struct FaultSettings: Sendable, Equatable {
    /// Share of requests (0…1) answered with a 500, 502, 503 or 504 `error.list` instead of reaching the workspace.
    public var serverErrorRate: Double
    /// Delay added before every API response that reaches the fault stage.
    public var latency: Duration
    /// Share of requests (0…1) whose body is cut in half (the status and `Content-Length` stay consistent, so
    /// the client sees a well-formed HTTP response carrying malformed JSON).
    public var truncatedBodyRate: Double
    /// Every API request with the workspace's token answers 401 `unauthorized`, as after the token was revoked:
    /// like any refused credentials, without rate-limit headers and without using the budget.
    public var tokenRevoked: Bool

    public init(
        serverErrorRate: Double = 0, latency: Duration = .zero, truncatedBodyRate: Double = 0,
        tokenRevoked: Bool = false
    ) {
        self.serverErrorRate = serverErrorRate
        self.latency = latency
        self.truncatedBodyRate = truncatedBodyRate
        self.tokenRevoked = tokenRevoked
    }

    /// No faults at all.
    public static let none = FaultSettings()
}
