import ServiceLifecycle

extension Daemon {
    /// The service for the `[metrics] listen` endpoint (/metrics, /healthz), nil when not configured.
    func metricsService() -> (any Service)? {
        guard let listen = configuration.metrics.listen else { return nil }
        return MetricsServer(
            listen: listen, source: DaemonMetrics(daemon: self, registry: metricsRegistry, clock: clock),
            logger: logger.component("metrics"))
    }
}
