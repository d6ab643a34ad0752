import Foundation
import Logging
import ServiceLifecycle

/// Logs one info line every `interval` with what happened since the previous one, so the log stays quiet at
/// info (per-cycle and per-delivery lines are debug) yet shows the daemon is alive and what it did. A last
/// line covers the part period when the daemon stops.
///
/// The figures are differences between two ``DaemonTelemetry/Snapshot``s, plus the queue depth read from the
/// store at the time of the line.
public struct LogSummaryService: Service, CustomStringConvertible {
    private let telemetry: DaemonTelemetry
    private let interval: Duration
    private let destinations: [String]
    private let queueDepth: @Sendable () async throws -> [String: Int]
    private let clock: any WallClock
    private let logger: Logger

    /// - Parameters:
    ///   - destinations: the configured destinations, listed even when nothing happened to them.
    ///   - queueDepth: pending rows per destination (`StateStore.queueDepth`); a failure shows as "queue unknown".
    public init(
        telemetry: DaemonTelemetry, interval: Duration, destinations: [String],
        queueDepth: @escaping @Sendable () async throws -> [String: Int], clock: any WallClock, logger: Logger
    ) {
        self.telemetry = telemetry
        self.interval = interval
        self.destinations = destinations
        self.queueDepth = queueDepth
        self.clock = clock
        self.logger = logger
    }

    /// How the service-lifecycle debug lines name it (rather than a reflection of its stored properties).
    public var description: String { "LogSummaryService(every \(Summary.age(Int(interval.components.seconds))))" }

    /// Logs a summary every `interval` until graceful shutdown or cancellation, then one for the part period.
    public func run() async throws {
        var previous = telemetry.snapshot
        var since = clock.now()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { [clock, interval] in try await clock.sleep(for: interval) }
            } catch {
                break
            }
            (previous, since) = await emit(since: previous, at: since)
        }
        await emit(since: previous, at: since)
    }

    /// Logs the summary from `previous` (taken at `since`) to now; returns the new starting point.
    @discardableResult
    private func emit(since previous: DaemonTelemetry.Snapshot, at since: Date) async -> (
        DaemonTelemetry.Snapshot, Date
    ) {
        let current = telemetry.snapshot
        let now = clock.now()
        let summary = Summary(
            from: previous, to: current, period: now.timeIntervalSince(since), now: now, destinations: destinations,
            queueDepth: try? await queueDepth())
        logger.info("\(summary.text)")
        return (current, now)
    }

    /// The figures of one period, and the line that tells them.
    public struct Summary: Sendable, Equatable {
        /// Per destination: delivery outcomes in the period and pending rows now.
        public struct Destination: Sendable, Equatable {
            public var name: String
            /// Attempts delivered in the period.
            public var delivered = 0
            /// Failed and to be retried, including throttled attempts.
            public var failed = 0
            /// Events given up in the period (the last retry failed).
            public var deadLetters = 0
            /// Attempts that got a 410 and disabled the destination.
            public var disabled = 0
            /// Pending rows at the end of the period, nil when the store could not be read.
            public var queued: Int?
        }

        /// Seconds the period lasted.
        public var period: Double
        /// Poll cycles finished in the period, and those of them that ended with an error.
        public var polls = 0
        public var pollsFailed = 0
        /// Events queued in the period, per topic.
        public var eventsByTopic: [String: Int] = [:]
        /// The configured destinations and any other with figures, by name.
        public var destinations: [Destination] = []
        /// Requests sent to Intercom in the period, whatever their outcome.
        public var intercomRequests = 0
        /// Intercom answers with status 429 in the period.
        public var intercomRateLimited = 0
        /// Times a request waited for the client's own rate limiter, and for how long in all.
        public var rateLimitWaits = 0
        public var rateLimitWaited: Duration = .zero
        /// Seconds since the last successful poll, nil when there has been none.
        public var lastSuccessfulPollAge: Int?
        /// Failed poll cycles in a row at the end of the period.
        public var consecutivePollFailures = 0
        /// With several workspaces, those whose last cycle failed at the end of the period
        /// (``DaemonTelemetry/Snapshot/failingWorkspacesText``): the daemon is healthy while another polls.
        public var failingWorkspaces: String?

        /// The differences between `previous` and `current`, `period` seconds apart, as of `now`.
        public init(
            from previous: DaemonTelemetry.Snapshot, to current: DaemonTelemetry.Snapshot, period: Double, now: Date,
            destinations configured: [String], queueDepth: [String: Int]?
        ) {
            self.period = period
            polls = current.pollCycles - previous.pollCycles
            pollsFailed = current.pollFailures - previous.pollFailures
            for (topic, count) in current.eventsByTopic {
                let added = count - (previous.eventsByTopic[topic] ?? 0)
                if added > 0 { eventsByTopic[topic] = added }
            }
            let names = Set(configured).union(current.deliveries.keys).union(queueDepth.map { Array($0.keys) } ?? [])
            destinations = names.sorted().map { name in
                let now = current.deliveries[name] ?? [:]
                let before = previous.deliveries[name] ?? [:]
                func added(_ outcome: DaemonTelemetry.DeliveryOutcomeLabel) -> Int {
                    (now[outcome.rawValue] ?? 0) - (before[outcome.rawValue] ?? 0)
                }
                return Destination(
                    name: name, delivered: added(.delivered), failed: added(.failed) + added(.throttled),
                    deadLetters: added(.deadLetter), disabled: added(.disabled),
                    queued: queueDepth.map { $0[name] ?? 0 })
            }
            intercomRequests =
                current.intercomRequests.values.reduce(0, +) - previous.intercomRequests.values.reduce(0, +)
            intercomRateLimited = (current.intercomRequests["429"] ?? 0) - (previous.intercomRequests["429"] ?? 0)
            rateLimitWaits = current.rateLimitWaits - previous.rateLimitWaits
            rateLimitWaited = current.rateLimitWaited - previous.rateLimitWaited
            lastSuccessfulPollAge = current.lastSuccessfulPoll.map { max(0, Int(now.timeIntervalSince($0))) }
            consecutivePollFailures = current.consecutivePollFailures
            failingWorkspaces = current.failingWorkspacesText
        }

        /// Events queued in the period across topics.
        public var events: Int { eventsByTopic.values.reduce(0, +) }

        /// One line, e.g. `summary of the last 1h: 30 polls (0 failed), last successful 45s ago; 3 events
        /// (contact.user.created 3); crm 3 delivered, 0 failed, 0 dead letters, 0 queued; Intercom 31 requests,
        /// 0 answered 429, 0 rate-limit waits`.
        public var text: String {
            var polling = "\(polls) polls (\(pollsFailed) failed), "
            if let age = lastSuccessfulPollAge {
                polling += "last successful \(Self.age(age)) ago"
            } else {
                polling += "no successful poll yet"
            }
            if let failingWorkspaces {
                // Several workspaces: the daemon-wide count is the fewest failures in a row, non-zero only when
                // every one fails, and belongs to the workspaces' text rather than beside it.
                polling += ", " + failingWorkspaces
                if consecutivePollFailures > 0 {
                    polling += ", each for \(consecutivePollFailures) or more cycles in a row"
                }
            } else if consecutivePollFailures > 0 {
                polling += ", failing (\(consecutivePollFailures) in a row)"
            }
            var parts = ["summary of the last \(Self.age(Int(period.rounded())))", polling]
            var events = "\(self.events) events"
            if !eventsByTopic.isEmpty {
                events +=
                    " ("
                    + eventsByTopic.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", ") + ")"
            }
            parts.append(events)
            for destination in destinations {
                var text =
                    "\(destination.name) \(destination.delivered) delivered, \(destination.failed) failed, "
                    + "\(destination.deadLetters) dead letters"
                if destination.disabled > 0 { text += ", disabled (410)" }
                text += destination.queued.map { ", \($0) queued" } ?? ", queue unknown"
                parts.append(text)
            }
            var intercom =
                "Intercom \(intercomRequests) requests, \(intercomRateLimited) answered 429, "
                + "\(rateLimitWaits) rate-limit waits"
            if rateLimitWaits > 0 {
                let (seconds, attoseconds) = rateLimitWaited.components
                let waited = seconds > 0 ? Self.age(Int(seconds)) : "\(attoseconds / 1_000_000_000_000_000)ms"
                intercom += " (\(waited) in all)"
            }
            parts.append(intercom)
            return parts[0] + ": " + parts.dropFirst().joined(separator: "; ")
        }

        /// Whole seconds in at most two units: `45s`, `2m5s`, `1h`, `1h30m`, `2d3h`.
        static func age(_ seconds: Int) -> String {
            let units: [(String, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
            guard let first = units.firstIndex(where: { seconds >= $0.1 }) else { return "0s" }
            let (name, size) = units[first]
            var text = "\(seconds / size)\(name)"
            if first + 1 < units.count {
                let (nextName, nextSize) = units[first + 1]
                let rest = seconds % size / nextSize
                if rest > 0 { text += "\(rest)\(nextName)" }
            }
            return text
        }
    }
}
