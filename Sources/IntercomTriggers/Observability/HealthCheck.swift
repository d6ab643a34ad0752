import Foundation

/// What `/healthz` answers, decided from figures alone (no I/O, no clock of its own) so the rules can be
/// tested as a table.
///
/// The daemon is unhealthy (503) when any of these holds; each adds one line to the answer:
/// - **polling overdue**: no poll cycle has succeeded for longer than ``pollDeadline``
///   (max(3 × interval, interval + 5 min)), counted from the last success or, before the first, from the
///   start — unless a cycle is running and made progress within the stall limit (a long backfill);
/// - **polling failing**: the last ``failureLimit`` cycles in a row ended in an error (a rejected token,
///   Intercom down), whatever their timing;
/// - **a loop stalled**: a working loop (the poller, a lane) has made no progress for longer than
///   `[service] stall_limit`;
/// - **a destination disabled** (it answered 410, or an admin disabled it) or its lane **stopped**
///   (stdout's reader went away);
/// - **a destination behind**: its oldest queued event was detected more than ``pendingAgeLimit`` ago.
///
/// Dead letters alone do not make the daemon unhealthy: they stay until replayed, and `/metrics` shows them.
public struct HealthCheck: Sendable, Equatable {
    /// The answer: healthy when there is no reason against it.
    public struct Verdict: Sendable, Equatable {
        /// One line per rule broken, in rule order; empty when healthy.
        public var reasons: [String]

        /// Creates a verdict.
        public init(reasons: [String]) {
            self.reasons = reasons
        }

        /// Whether no rule is broken.
        public var isHealthy: Bool { reasons.isEmpty }
        /// 200 when healthy, 503 otherwise.
        public var statusCode: Int { isHealthy ? 200 : 503 }
        /// `ok`, or the reasons, one per line.
        public var body: String { (isHealthy ? "ok" : reasons.joined(separator: "\n")) + "\n" }
    }

    /// `[poll] interval`.
    public var pollInterval: Duration
    /// `[service] stall_limit`: how long a working loop may go without progress.
    public var stallLimit: Duration
    /// Failed cycles in a row that make polling unhealthy.
    public var failureLimit: Int
    /// How long the oldest queued event of a destination may wait.
    public var pendingAgeLimit: Duration

    /// - Parameters:
    ///   - failureLimit: failed poll cycles in a row that count as failing (default 3).
    ///   - pendingAgeLimit: the longest an event may stay queued for a destination (default 1 h: a destination
    ///     failing through its first retries, 5 s, 5 min and 30 min by default).
    public init(
        pollInterval: Duration, stallLimit: Duration, failureLimit: Int = 3, pendingAgeLimit: Duration = .seconds(3_600)
    ) {
        self.pollInterval = pollInterval
        self.stallLimit = stallLimit
        self.failureLimit = max(1, failureLimit)
        self.pendingAgeLimit = pendingAgeLimit
    }

    /// The rules for `configuration`'s interval (the longest of its workspaces') and stall limit, with the default
    /// bounds.
    public init(configuration: DaemonConfiguration) {
        self.init(
            pollInterval: configuration.workspaces.map(\.poll.interval).max() ?? configuration.poll.interval,
            stallLimit: configuration.service.stallLimit)
    }

    /// How long polling may go without a successful cycle: max(3 × interval, interval + 5 min), which leaves
    /// room for a cycle or two to fail and back off.
    public var pollDeadline: Duration { max(pollInterval * 3, pollInterval + .seconds(300)) }

    /// The verdict at `now`.
    ///
    /// - Parameters:
    ///   - startedAt: when the daemon started (polling is judged from there until a cycle succeeds).
    ///   - snapshot: the telemetry figures.
    ///   - lanes: the delivery lanes' states.
    ///   - destinations: the configured destinations as the store sees them (queue, disabled flag).
    public func evaluate(
        now: Date, startedAt: Date, snapshot: DaemonTelemetry.Snapshot, lanes: [LaneStatus],
        destinations: [StatusReport.DestinationStatus]
    ) -> Verdict {
        var reasons: [String] = []
        let lastError = snapshot.lastPollError.map { "; last error: \($0)" } ?? ""
        if pollingIsOverdue(now: now, startedAt: startedAt, snapshot: snapshot) {
            let limit = StatusReport.age(Self.wholeSeconds(pollDeadline))
            if let last = snapshot.lastSuccessfulPoll {
                reasons.append(
                    "polling overdue: last successful poll \(Self.age(now, since: last)) ago (limit \(limit))\(lastError)"
                )
            } else {
                reasons.append(
                    "polling overdue: no successful poll since the start \(Self.age(now, since: startedAt)) ago "
                        + "(limit \(limit))\(lastError)")
            }
        }
        if snapshot.consecutivePollFailures >= failureLimit {
            reasons.append(
                "polling failing: \(snapshot.consecutivePollFailures) cycles in a row ended in an error\(lastError)")
        }
        for loop in snapshot.stalledLoops(at: now, limit: stallLimit) {
            var age = ""
            if case .working(let last) = snapshot.loops[loop] { age = " for \(Self.age(now, since: last))" }
            reasons.append(
                "\(loop) stalled: no progress\(age) (stall limit \(StatusReport.age(Self.wholeSeconds(stallLimit))))")
        }
        reasons += destinationReasons(now: now, lanes: lanes, destinations: destinations)
        return Verdict(reasons: reasons)
    }

    private func pollingIsOverdue(now: Date, startedAt: Date, snapshot: DaemonTelemetry.Snapshot) -> Bool {
        let since = snapshot.lastSuccessfulPoll ?? startedAt
        guard now.timeIntervalSince(since) > Self.seconds(pollDeadline) else { return false }
        // A cycle still reading pages (a backfill) is not overdue; one without progress is caught as stalled.
        let working = snapshot.loops.compactMap { name, activity -> Date? in
            guard name == PollerService.loopName || name.hasPrefix(PollerService.loopName + " "),
                case .working(let last) = activity
            else { return nil }
            return last
        }
        if let last = working.max(), now.timeIntervalSince(last) <= Self.seconds(stallLimit) {
            return false
        }
        return true
    }

    private func destinationReasons(
        now: Date, lanes: [LaneStatus], destinations: [StatusReport.DestinationStatus]
    ) -> [String] {
        let byName = Dictionary(destinations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let laneByName = Dictionary(lanes.map { ($0.destination, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Set(byName.keys).union(laneByName.keys).sorted()
        var reasons: [String] = []
        for name in names {
            let stored = byName[name]
            let state = laneByName[name]?.state
            if stored?.disabled == true {
                reasons.append("destination \(name) disabled: \(stored?.disabledReason ?? "no reason given")")
            } else if case .disabled(let reason) = state {
                reasons.append("destination \(name) disabled: \(reason ?? "no reason given")")
            }
            if case .stopped(let reason) = state {
                reasons.append("destination \(name) stopped: \(reason)")
            }
            if let oldest = stored?.oldestPendingDetectedAt {
                let waited = Int(now.timeIntervalSince1970) - oldest
                if Double(waited) > Self.seconds(pendingAgeLimit) {
                    reasons.append(
                        "destination \(name) behind: oldest queued event waiting \(StatusReport.age(waited)) "
                            + "(limit \(StatusReport.age(Self.wholeSeconds(pendingAgeLimit))))")
                }
            }
        }
        return reasons
    }

    private static func seconds(_ duration: Duration) -> Double { RetryPolicy.seconds(duration) }

    private static func wholeSeconds(_ duration: Duration) -> Int { Int(RetryPolicy.seconds(duration).rounded(.up)) }

    private static func age(_ now: Date, since: Date) -> String { StatusReport.age(Int(now.timeIntervalSince(since))) }
}
