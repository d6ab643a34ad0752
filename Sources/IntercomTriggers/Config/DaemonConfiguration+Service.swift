extension DaemonConfiguration {
    /// `[service]`: how the daemon behaves as a service (shutdown, watchdog).
    public struct Service: Sendable, Equatable {
        /// How long a graceful shutdown (SIGTERM) may take in all before the rest is cancelled; keep it below
        /// systemd's `TimeoutStopSec`.
        public var shutdownTimeout: Duration
        /// A working loop (poller, delivery lane) that makes no progress for this long is wedged: the
        /// watchdog pings stop and `/healthz` answers 503.
        public var stallLimit: Duration

        public init(shutdownTimeout: Duration = .seconds(20), stallLimit: Duration = .seconds(300)) {
            self.shutdownTimeout = shutdownTimeout
            self.stallLimit = stallLimit
        }
    }
}
