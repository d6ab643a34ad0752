import CoreMetrics
import Foundation
import Synchronization

/// What the daemon's working loops report as they go: the numbers behind `/metrics`, `/healthz`, systemd's
/// `STATUS=` and watchdog, and the periodic log summary.
///
/// Every recording call updates an in-memory snapshot (for health, status and the summary) and the
/// swift-metrics instruments made by `factory` (a Prometheus registry when `[metrics] listen` is set, no-ops
/// otherwise). The factory is passed in rather than bootstrapped globally, so each daemon (and each test) has
/// its own numbers.
public final class DaemonTelemetry: Sendable {
    /// What a working loop is doing, for the watchdog: waiting is healthy for as long as it lasts; working
    /// is healthy while it keeps making progress.
    public enum Activity: Sendable, Equatable {
        /// Between passes or turns (sleeping on a clock or a signal).
        case waiting
        /// Working; the time of its last progress (a page read, a batch attempted).
        case working(lastProgress: Date)
    }

    /// The numbers since the daemon started.
    public struct Snapshot: Sendable, Equatable {
        /// When a poll cycle last finished without an error.
        public var lastSuccessfulPoll: Date?
        /// How long the last poll cycle took.
        public var lastPollDuration: Duration?
        /// The error of the last poll cycle, nil once a cycle succeeds again.
        public var lastPollError: String?
        /// Failed poll cycles in a row.
        public var consecutivePollFailures = 0
        /// Poll cycles finished (with or without an error).
        public var pollCycles = 0
        /// Per workspace (by name): its last successful cycle, failed cycles in a row and last error. The three
        /// figures above are drawn from these: polling counts as failing only while every workspace that finished a
        /// cycle is failing, so one workspace's revoked token does not make the daemon unhealthy (``HealthCheck``).
        public var workspacePolls: [String: WorkspacePoll] = [:]
        /// Poll cycles that ended with an error.
        public var pollFailures = 0
        /// Events queued per topic.
        public var eventsByTopic: [String: Int] = [:]
        /// Updates suppressed because only `ignore_fields` changed, per workspace (by name), then per topic: the
        /// demo names the workspace on its line.
        public var updatesSuppressedByWorkspace: [String: [String: Int]] = [:]
        /// The same per topic, all workspaces together.
        public var updatesSuppressed: [String: Int] {
            updatesSuppressedByWorkspace.values.reduce(into: [:]) { total, topics in
                total.merge(topics, uniquingKeysWith: +)
            }
        }
        /// Events a destination's filter did not match, per destination.
        public var eventsFiltered: [String: Int] = [:]
        /// Search items skipped because they could not be read, per resource (`contacts`, `conversations`).
        public var itemsSkipped: [String: Int] = [:]
        /// Search items dated beyond the clock plus a margin, per resource.
        public var itemsFutureDated: [String: Int] = [:]
        /// Delivery outcomes per destination: destination → outcome label → count.
        public var deliveries: [String: [String: Int]] = [:]
        /// Intercom responses per status code; `"error"` counts requests that got no response.
        public var intercomRequests: [String: Int] = [:]
        /// Times a request waited for the rate limit, and for how long in all.
        public var rateLimitWaits = 0
        public var rateLimitWaited: Duration = .zero
        /// What each working loop is doing, by loop name (`poller`, `lane crm`, …).
        public var loops: [String: Activity] = [:]

        public init() {}

        /// Draws the poll figures from ``workspacePolls``: the latest success of any workspace; failures in a row
        /// and the last error only while every workspace is failing (the fewest in a row; the error of
        /// `lastFailed`, the one that failed just now, else of any failing one, named when there are several).
        mutating func summarisePolls(lastFailed: String?) {
            lastSuccessfulPoll = workspacePolls.values.compactMap(\.lastSuccess).max()
            consecutivePollFailures = workspacePolls.values.map(\.failuresInARow).min() ?? 0
            guard consecutivePollFailures > 0 else {
                lastPollError = nil
                return
            }
            let name = lastFailed ?? workspacePolls.keys.sorted().first ?? ""
            let error = workspacePolls[name]?.lastError ?? ""
            lastPollError = workspacePolls.count > 1 ? "workspace \(name): \(error)" : error
        }

        /// Events queued across all topics.
        public var eventsQueued: Int { eventsByTopic.values.reduce(0, +) }

        /// Deliveries with `outcome` (``DeliveryOutcomeLabel``) across destinations.
        public func deliveries(_ outcome: DeliveryOutcomeLabel) -> Int {
            deliveries.values.reduce(0) { $0 + ($1[outcome.rawValue] ?? 0) }
        }

        /// Failing workspaces named on a line at most (the rest are counted).
        public static let maximumNamedWorkspaces = 5

        /// With several workspaces that finished a cycle and some of them failing: `K of N workspaces failing (a,
        /// b, … and M more)`, the first ``maximumNamedWorkspaces`` by name. Nil otherwise: with one workspace its
        /// failures are the daemon's, told by ``consecutivePollFailures`` and ``lastPollError``.
        public var failingWorkspacesText: String? {
            guard workspacePolls.count > 1 else { return nil }
            let failing = workspacePolls.filter { $0.value.failuresInARow > 0 }.keys.sorted()
            guard !failing.isEmpty else { return nil }
            var names = failing.prefix(Self.maximumNamedWorkspaces).joined(separator: ", ")
            if failing.count > Self.maximumNamedWorkspaces {
                names += " and \(failing.count - Self.maximumNamedWorkspaces) more"
            }
            return "\(failing.count) of \(workspacePolls.count) workspaces failing (\(names))"
        }

        /// Loops that have been working without progress for longer than `limit` at `now`, by name.
        public func stalledLoops(at now: Date, limit: Duration) -> [String] {
            let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
            return loops.compactMap { name, activity in
                guard case .working(let last) = activity, now.timeIntervalSince(last) > seconds else { return nil }
                return name
            }.sorted()
        }
    }

    /// One workspace's polling as ``Snapshot/workspacePolls`` holds it.
    public struct WorkspacePoll: Sendable, Equatable {
        public var lastSuccess: Date?
        public var failuresInARow = 0
        public var lastError: String?
    }

    /// How a delivery attempt ended, as counted in `deliveries_total{outcome=…}`.
    public enum DeliveryOutcomeLabel: String, Sendable, CaseIterable {
        case delivered
        /// Failed and scheduled for a retry.
        case failed
        /// Throttled by the destination (429, 502, 503, 504).
        case throttled
        /// Failed for the last time: a dead letter.
        case deadLetter = "dead_letter"
        /// The destination answered 410 and was disabled.
        case disabled
    }

    /// The metric names, shared by the exporter's tests and the docs.
    public enum Name {
        public static let events = "intercom_triggerd_events_total"
        public static let itemsSkipped = "intercom_triggerd_items_skipped_total"
        public static let updatesSuppressed = "intercom_triggerd_updates_suppressed_total"
        public static let eventsFiltered = "intercom_triggerd_events_filtered_total"
        public static let itemsFutureDated = "intercom_triggerd_items_future_dated_total"
        public static let deliveries = "intercom_triggerd_deliveries_total"
        public static let queueDepth = "intercom_triggerd_queue_depth"
        public static let pollDuration = "intercom_triggerd_poll_duration_seconds"
        public static let pollFailures = "intercom_triggerd_poll_failures_total"
        public static let intercomRequests = "intercom_triggerd_intercom_requests_total"
        public static let rateLimitWaits = "intercom_triggerd_rate_limit_waits_total"
        public static let rateLimitWaitSeconds = "intercom_triggerd_rate_limit_wait_seconds_total"
        public static let lastSuccessfulPoll = "intercom_triggerd_last_successful_poll_timestamp_seconds"
    }

    private let factory: any MetricsFactory
    private let clock: any WallClock
    private let state = Mutex(Snapshot())

    /// - Parameters:
    ///   - factory: makes the instruments; the default records nothing outside the snapshot.
    ///   - clock: the time of progress marks and successful polls.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance, clock: any WallClock = SystemWallClock()) {
        self.factory = factory
        self.clock = clock
    }

    /// The numbers so far.
    public var snapshot: Snapshot { state.withLock { $0 } }

    // MARK: - Polling

    /// `workspace` is polled by another daemon of a shared store (#16): this daemon is fine without polling it, so
    /// its loop counts as healthy; nothing is counted in the metrics.
    public func standingBy(workspace: String = DaemonConfiguration.Workspace.defaultName) {
        let now = clock.now()
        state.withLock {
            var poll = $0.workspacePolls[workspace] ?? WorkspacePoll()
            poll.failuresInARow = 0
            poll.lastError = nil
            poll.lastSuccess = now
            $0.workspacePolls[workspace] = poll
            $0.summarisePolls(lastFailed: nil)
        }
    }

    /// A poll cycle of `workspace` finished after `duration`, with `error` or without.
    public func pollFinished(
        workspace: String = DaemonConfiguration.Workspace.defaultName, duration: Duration, error: (any Error)?
    ) {
        let now = clock.now()
        state.withLock {
            $0.pollCycles += 1
            $0.lastPollDuration = duration
            var poll = $0.workspacePolls[workspace] ?? WorkspacePoll()
            if let error {
                $0.pollFailures += 1
                poll.failuresInARow += 1
                poll.lastError = String(describing: error)
            } else {
                poll.failuresInARow = 0
                poll.lastError = nil
                poll.lastSuccess = now
            }
            $0.workspacePolls[workspace] = poll
            if error == nil {
                // What summarisePolls gives after a success, without a walk over every workspace per poll: some
                // workspace (this one) has no failure in a row, and its success is the latest.
                $0.lastSuccessfulPoll = max($0.lastSuccessfulPoll ?? now, now)
                $0.consecutivePollFailures = 0
                $0.lastPollError = nil
            } else {
                $0.summarisePolls(lastFailed: workspace)
            }
        }
        let (seconds, attoseconds) = duration.components
        Timer(label: Name.pollDuration, factory: factory).recordNanoseconds(
            seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        if error == nil {
            Gauge(label: Name.lastSuccessfulPoll, dimensions: [("workspace", workspace)], factory: factory).record(
                now.timeIntervalSince1970)
        } else {
            Counter(label: Name.pollFailures, dimensions: [("workspace", workspace)], factory: factory).increment()
        }
    }

    /// `workspace` is no longer served (a reload removed it): its polls stop counting for health.
    public func workspaceRemoved(_ workspace: String) {
        state.withLock {
            $0.workspacePolls[workspace] = nil
            $0.summarisePolls(lastFailed: nil)
        }
    }

    /// `count` events of `topic` were queued in `workspace`.
    public func eventsQueued(
        topic: String, count: Int, workspace: String = DaemonConfiguration.Workspace.defaultName
    ) {
        add(count, to: \.eventsByTopic, Name.events, ("topic", topic), workspace: workspace)
    }

    /// `count` updates of `topic` in `workspace` were suppressed: only ignored fields had changed.
    public func updatesSuppressed(
        topic: String, count: Int, workspace: String = DaemonConfiguration.Workspace.defaultName
    ) {
        add(count, Name.updatesSuppressed, ("topic", topic), workspace: workspace) {
            $0.updatesSuppressedByWorkspace[workspace, default: [:]][topic, default: 0] += count
        }
    }

    /// `count` events did not match `destination`'s filter and were not queued for it.
    public func eventsFiltered(destination: String, count: Int) {
        add(count, to: \.eventsFiltered, Name.eventsFiltered, ("destination", destination))
    }

    /// `count` items of `resource` in `workspace` could not be read and were skipped.
    public func itemsSkipped(
        resource: Resource, count: Int, workspace: String = DaemonConfiguration.Workspace.defaultName
    ) {
        add(count, to: \.itemsSkipped, Name.itemsSkipped, ("resource", resource.rawValue), workspace: workspace)
    }

    /// `count` items of `resource` in `workspace` were dated beyond the clock plus ``ResourcePass/futureMargin``.
    public func itemsFutureDated(
        resource: Resource, count: Int, workspace: String = DaemonConfiguration.Workspace.defaultName
    ) {
        add(count, to: \.itemsFutureDated, Name.itemsFutureDated, ("resource", resource.rawValue), workspace: workspace)
    }

    /// Adds `count` (when positive) to the snapshot's per-`dimension` tally at `tally` (all workspaces together) and
    /// to the counter `metric` labelled with that dimension and, when given, the workspace.
    private func add(
        _ count: Int, to tally: WritableKeyPath<Snapshot, [String: Int]>, _ metric: String,
        _ dimension: (name: String, value: String), workspace: String? = nil
    ) {
        add(count, metric, dimension, workspace: workspace) { $0[keyPath: tally][dimension.value, default: 0] += count }
    }

    /// Adds `count` (when positive) to the snapshot as `tally` does and to the counter `metric` labelled with
    /// `dimension` and, when given, the workspace.
    private func add(
        _ count: Int, _ metric: String, _ dimension: (name: String, value: String), workspace: String? = nil,
        tally: (inout Snapshot) -> Void
    ) {
        guard count > 0 else { return }
        state.withLock { tally(&$0) }
        var dimensions = [(dimension.name, dimension.value)]
        if let workspace { dimensions.append(("workspace", workspace)) }
        Counter(label: metric, dimensions: dimensions, factory: factory).increment(by: count)
    }

    // MARK: - Delivery

    /// `count` delivery attempts to `destination` ended with `outcome`.
    public func deliveries(destination: String, outcome: DeliveryOutcomeLabel, count: Int = 1) {
        guard count > 0 else { return }
        state.withLock { $0.deliveries[destination, default: [:]][outcome.rawValue, default: 0] += count }
        Counter(
            label: Name.deliveries, dimensions: [("destination", destination), ("outcome", outcome.rawValue)],
            factory: factory
        ).increment(by: count)
    }

    /// The pending rows of `destination` (set by whoever reads the store: the exporter at scrape time).
    public func queueDepth(destination: String, pending: Int) {
        Gauge(label: Name.queueDepth, dimensions: [("destination", destination)], factory: factory).record(pending)
    }

    // MARK: - Intercom

    /// One request of `workspace` to Intercom ended with `status`, or with no response (`nil`).
    public func intercomResponse(status: Int?, workspace: String = DaemonConfiguration.Workspace.defaultName) {
        let label = status.map(String.init) ?? "error"
        state.withLock { $0.intercomRequests[label, default: 0] += 1 }
        Counter(
            label: Name.intercomRequests, dimensions: [("status", label), ("workspace", workspace)], factory: factory
        ).increment()
    }

    /// A request of `workspace` waited `duration` for its rate limit.
    public func rateLimitWaited(_ duration: Duration, workspace: String = DaemonConfiguration.Workspace.defaultName) {
        state.withLock {
            $0.rateLimitWaits += 1
            $0.rateLimitWaited += duration
        }
        Counter(label: Name.rateLimitWaits, dimensions: [("workspace", workspace)], factory: factory).increment()
        let (seconds, attoseconds) = duration.components
        FloatingPointCounter(label: Name.rateLimitWaitSeconds, dimensions: [("workspace", workspace)], factory: factory)
            .increment(by: Double(seconds) + Double(attoseconds) / 1e18)
    }

    // MARK: - Working loops

    /// `loop` made progress (or started working) now.
    public func progress(_ loop: String) {
        let now = clock.now()
        state.withLock { $0.loops[loop] = .working(lastProgress: now) }
    }

    /// `loop` is waiting for its next turn: healthy however long it lasts.
    public func waiting(_ loop: String) {
        state.withLock { $0.loops[loop] = .waiting }
    }

    /// `loop` has ended (shutdown): it no longer counts for the watchdog.
    public func finished(_ loop: String) {
        _ = state.withLock { $0.loops.removeValue(forKey: loop) }
    }
}
