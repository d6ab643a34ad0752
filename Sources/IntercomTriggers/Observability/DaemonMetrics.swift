import CoreMetrics
import Foundation
import Prometheus

/// A daemon's figures for the metrics endpoint: its own Prometheus registry (fed by ``DaemonTelemetry``
/// as the loops work), plus what is read from the store at scrape time (queue depth, dead letters, the
/// oldest queued event, disabled destinations) and the ``HealthCheck`` verdict.
public final class DaemonMetrics: MetricsSource {
    /// The metrics set at scrape time from the store and the health check, besides ``DaemonTelemetry/Name``.
    public enum Name {
        public static let deadLetters = "intercom_triggerd_dead_letters"
        public static let oldestPendingAge = "intercom_triggerd_oldest_pending_age_seconds"
        public static let destinationDisabled = "intercom_triggerd_destination_disabled"
        public static let healthy = "intercom_triggerd_healthy"
    }

    /// Upper bounds of the poll-duration histogram: an idle cycle takes well under a second, a backfill minutes.
    public static let pollDurationBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5),
        .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(600),
    ]

    private let registry: PrometheusCollectorRegistry
    private let telemetry: DaemonTelemetry
    private let store: StateStore
    private let lanes: [DeliveryLane]
    private let destinations: [String]
    private let check: HealthCheck
    private let clock: any WallClock
    private let startedAt: Date

    /// The factory that makes ``DaemonTelemetry``'s instruments in `registry` (poll durations get
    /// ``pollDurationBuckets``).
    public static func factory(_ registry: PrometheusCollectorRegistry) -> any MetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[DaemonTelemetry.Name.pollDuration] = pollDurationBuckets
        return factory
    }

    /// The figures of `daemon`, whose telemetry reports into `registry`; health is judged from `startedAt`
    /// (now by default: the metrics service is made as the daemon's services start). A telemetry passed to
    /// `Daemon.build` by the caller reports elsewhere: only the scrape-time gauges then reach `registry`.
    public init(daemon: Daemon, registry: PrometheusCollectorRegistry, clock: any WallClock, startedAt: Date? = nil) {
        self.registry = registry
        telemetry = daemon.telemetry
        store = daemon.store
        lanes = daemon.lanes
        destinations = daemon.configuration.destinations.map(\.name)
        check = HealthCheck(configuration: daemon.configuration)
        self.clock = clock
        self.startedAt = startedAt ?? clock.now()
        Self.registerZeros(
            registry: registry,
            topics: daemon.configuration.workspaces.flatMap { workspace in
                workspace.triggers.topics.map { (workspace.name, $0.name) }
            },
            destinations: destinations)
    }

    /// Reads the store, sets the scrape-time gauges and renders the registry.
    public func exposition() async throws -> [UInt8] {
        let now = clock.now()
        let statuses = try await destinationStatuses(now: now)
        for status in statuses {
            let labels = [("destination", status.name)]
            telemetry.queueDepth(destination: status.name, pending: status.pending)
            gauge(Name.deadLetters, labels, help: "Dead letters kept for the destination (until replayed or purged).")
                .set(to: Double(status.dead))
            gauge(
                Name.oldestPendingAge, labels,
                help: "Seconds since the oldest queued event of the destination was detected (0: none queued)."
            )
            .set(to: status.oldestPendingDetectedAt.map { max(0, now.timeIntervalSince1970 - Double($0)) } ?? 0)
            gauge(Name.destinationDisabled, labels, help: "1 while the destination is disabled (410 or an admin).")
                .set(to: status.disabled ? 1 : 0)
        }
        let verdict = evaluate(now: now, statuses: statuses)
        gauge(Name.healthy, [], help: "1 when /healthz answers 200, 0 when it answers 503.")
            .set(to: verdict.isHealthy ? 1 : 0)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// The ``HealthCheck`` verdict now.
    public func health() async throws -> HealthCheck.Verdict {
        let now = clock.now()
        return await evaluate(now: now, statuses: try destinationStatuses(now: now))
    }

    private func evaluate(now: Date, statuses: [StatusReport.DestinationStatus]) -> HealthCheck.Verdict {
        check.evaluate(
            now: now, startedAt: startedAt, snapshot: telemetry.snapshot, lanes: lanes.map(\.status),
            destinations: statuses)
    }

    /// The configured destinations as `status` shows them (queue figures and the disabled flag).
    private func destinationStatuses(now: Date) async throws -> [StatusReport.DestinationStatus] {
        let report = try await StatusReport.collect(
            store: store, topics: [], destinations: destinations, now: Int(now.timeIntervalSince1970))
        return report.destinations.filter { destinations.contains($0.name) }
    }

    private func gauge(_ name: String, _ labels: [(String, String)], help: String) -> Prometheus.Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// Counters start at 0 for every configured topic, destination and outcome, so that `rate()` and
    /// `increase()` see the first event, and a quiet daemon still shows its series.
    private static func registerZeros(
        registry: PrometheusCollectorRegistry, topics: [(workspace: String, topic: String)], destinations: [String]
    ) {
        let factory = factory(registry)
        for (workspace, topic) in topics {
            _ = CoreMetrics.Counter(
                label: DaemonTelemetry.Name.events, dimensions: [("topic", topic), ("workspace", workspace)],
                factory: factory)
        }
        for destination in destinations {
            for outcome in DaemonTelemetry.DeliveryOutcomeLabel.allCases {
                _ = CoreMetrics.Counter(
                    label: DaemonTelemetry.Name.deliveries,
                    dimensions: [("destination", destination), ("outcome", outcome.rawValue)], factory: factory)
            }
        }
        for workspace in Set(topics.map(\.workspace)) {
            for name in [DaemonTelemetry.Name.pollFailures, DaemonTelemetry.Name.rateLimitWaits] {
                _ = CoreMetrics.Counter(label: name, dimensions: [("workspace", workspace)], factory: factory)
            }
            _ = FloatingPointCounter(
                label: DaemonTelemetry.Name.rateLimitWaitSeconds, dimensions: [("workspace", workspace)],
                factory: factory)
        }
    }
}
