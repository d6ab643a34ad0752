/// What the metrics endpoint serves: the seam between ``MetricsServer`` (HTTP) and the daemon's figures
/// (``DaemonMetrics``), so the server can be tested with a fake.
public protocol MetricsSource: Sendable {
    /// The metrics in the Prometheus text exposition format (version 0.0.4), read at scrape time.
    func exposition() async throws -> [UInt8]

    /// Whether polling and delivery are healthy now, and why not.
    func health() async throws -> HealthCheck.Verdict
}
