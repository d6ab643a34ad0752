import ServiceLifecycle

extension Daemon {
    /// The service for the `[metrics] listen` endpoint (/metrics, /healthz), nil when not configured.
    func metricsService() -> (any Service)? {
        nil
    }
}
