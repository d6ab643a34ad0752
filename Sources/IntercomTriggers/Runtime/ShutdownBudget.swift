/// How `[service] shutdown_timeout` is shared out, so that the whole stop fits inside it (and so inside
/// systemd's `TimeoutStopSec`, which must be larger).
///
/// The `ServiceGroup` stops the services one after another for at most ``graceful``; whatever still runs
/// then is cancelled, and if cancellation has not ended everything within ``cancellation`` the process exits
/// rather than outlive the bound (`Daemon.run`'s backstop; exit 0, the store being committed). Delivery lanes give requests in flight ``laneGrace`` before abandoning them
/// (their rows stay pending), well inside the graceful phase.
public struct ShutdownBudget: Sendable, Equatable {
    /// The configured bound: graceful phase plus cancellation phase.
    public var total: Duration
    /// How long the services may take to stop gracefully before the rest is cancelled.
    public var graceful: Duration
    /// How long cancellation may take before the process exits.
    public var cancellation: Duration
    /// How long a lane's requests in flight may finish once it is asked to stop.
    public var laneGrace: Duration

    /// Splits `total`: cancellation gets a quarter, at most 2 s; lanes' grace is half, at most 5 s.
    public init(_ total: Duration) {
        self.total = total
        cancellation = min(.seconds(2), total / 4)
        graceful = total - cancellation
        laneGrace = min(.seconds(5), total / 2)
    }
}
