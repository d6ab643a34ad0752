import Foundation

/// What `status` shows: per topic the watermark, its lag behind now, the last poll and its result; per
/// destination the queue depth, dead letters and whether it is disabled.
public struct StatusReport: Codable, Sendable, Equatable {
    public struct TopicStatus: Codable, Sendable, Equatable {
        public var topic: String
        /// The first second not yet read (Unix seconds).
        public var watermark: Int
        /// How far the watermark is behind now, in seconds.
        public var lagSeconds: Int
        public var startAt: Int
        public var lastPollAt: Int?
        public var lastResult: String?
        public var lastError: String?
        /// A reset an admin asked for that the daemon has not applied yet.
        public var pendingResetTo: Int?
        /// Items of the topic's resource skipped because they could not be read (each sighting counted).
        public var skippedItems = 0
        /// Items dated beyond the clock plus a margin (each sighting counted).
        public var futureDatedItems = 0
        /// Updates suppressed because only ignored fields changed (`ignore_fields`).
        public var suppressedUpdates = 0
    }

    public struct DestinationStatus: Codable, Sendable, Equatable {
        public var name: String
        public var pending: Int
        public var dead: Int
        public var disabled: Bool
        public var disabledReason: String?
        public var oldestPendingDetectedAt: Int?
        public var lastDeliveredAt: Int?
        /// The latest next attempt of a failed, still queued delivery (see ``DestinationSummary/retryingUntil``).
        public var retryingUntil: Int?
        /// Events its filter (`[[destination.when]]`) did not match.
        public var filtered = 0
    }

    public var generatedAt: Int
    /// The Intercom app id of the workspace; nil before its first poll.
    public var workspace: String?
    /// The workspace's configured name: set by `status --workspace NAME` only (the one workspace's report leaves
    /// it out, as it always did).
    public var name: String?
    public var topics: [TopicStatus]
    public var destinations: [DestinationStatus]
    /// On a store several daemons share (#16): the live daemons and who polls what; nil for a SQLite store.
    public var sharing: StoreSharing?

    /// Reads the store. `topics` and `destinations` are the configured ones, listed even before they
    /// have state; anything else the store knows is listed after them.
    ///
    /// `workspace` is whose topics to show (nil: a workspace the daemon has not registered yet, with no rows).
    /// With `name`, the report is that workspace's alone (`status --workspace`): the destinations' counts are of
    /// its events, and their filters' counts, which are per destination, are left out. Without it the destinations'
    /// counts cover the whole store, as in the single-workspace report.
    public static func collect(
        store: StateStore, topics: [String], destinations: [String], now: Int, workspace: StoreWorkspace? = .first,
        named name: String? = nil
    ) async throws -> StatusReport {
        var states: [TopicState] = []
        var appID: String?
        if let workspace {
            states = try await store.topicStates(in: workspace)
            appID = try await store.appID(of: workspace)
        }
        let order = topics + states.map(\.topic).filter { !topics.contains($0) }
        let byTopic = Dictionary(uniqueKeysWithValues: states.map { ($0.topic, $0) })
        let topicRows = order.compactMap { name -> TopicStatus? in
            guard let state = byTopic[name] else { return nil }
            return TopicStatus(
                topic: name, watermark: state.watermark, lagSeconds: max(0, now - state.watermark),
                startAt: state.startAt, lastPollAt: state.lastPollAt, lastResult: state.lastResult,
                lastError: state.lastError, pendingResetTo: state.resetRequestedTo, skippedItems: state.skippedItems,
                futureDatedItems: state.futureDatedItems, suppressedUpdates: state.suppressedUpdates)
        }
        let scope: AdminWorkspaces.Scope =
            name == nil ? .all : workspace.map(AdminWorkspaces.Scope.one) ?? .unregistered
        return StatusReport(
            generatedAt: now, workspace: appID, name: name, topics: topicRows,
            destinations: try await destinationRows(store: store, names: destinations, of: scope))
    }

    /// The destinations `names` (the configured ones, listed even without rows) and any other the store has rows
    /// for, with their counts of `scope`'s events.
    static func destinationRows(store: StateStore, names configured: [String], of scope: AdminWorkspaces.Scope)
        async throws
        -> [DestinationStatus]
    {
        let summaries: [DestinationSummary]
        switch scope {
        case .all: summaries = try await store.destinationSummaries()
        case .one(let workspace): summaries = try await store.destinationSummaries(workspace: workspace)
        case .unregistered: summaries = []
        }
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.name, $0) })
        let disabled = Dictionary(uniqueKeysWithValues: try await store.destinationStates().map { ($0.name, $0) })
        // Counted per destination, whatever the workspace: only the whole store's report shows them.
        let filtered: [String: Int]
        if case .all = scope { filtered = try await store.filteredCounts() } else { filtered = [:] }
        let names = configured + byName.keys.sorted().filter { !configured.contains($0) }
        return names.map { name in
            let summary = byName[name]
            return DestinationStatus(
                name: name, pending: summary?.pending ?? 0, dead: summary?.dead ?? 0,
                disabled: disabled[name]?.isDisabled ?? false, disabledReason: disabled[name]?.disabledReason,
                oldestPendingDetectedAt: summary?.oldestPendingDetectedAt, lastDeliveredAt: summary?.lastDeliveredAt,
                retryingUntil: summary?.retryingUntil, filtered: filtered[name] ?? 0)
        }
    }

    /// JSON for `status --json` (snake_case keys, sorted).
    public func json() throws -> Data {
        try Self.json(printable())
    }

    /// `value` as `status --json` prints it: snake_case keys, sorted, pretty.
    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }

    /// The human table.
    public func text() -> String {
        let report = printable()
        return (report.lines() + (sharing.map { [""] + $0.lines() } ?? [])).joined(separator: "\n")
    }

    /// This report with the text that came from outside (Intercom's workspace id and error messages, a
    /// receiver's reason) escaped: stores written before the error text was escaped may hold raw controls.
    func printable() -> StatusReport {
        var report = self
        report.workspace = workspace?.escapingControlCharacters
        report.name = name?.escapingControlCharacters
        for index in report.topics.indices {
            report.topics[index].lastResult = topics[index].lastResult?.escapingControlCharacters
            report.topics[index].lastError = topics[index].lastError?.escapingControlCharacters
        }
        report.destinations = Self.printable(destinations)
        return report
    }

    /// `destinations` with a receiver's reason escaped (see ``printable()``).
    static func printable(_ destinations: [DestinationStatus]) -> [DestinationStatus] {
        var printable = destinations
        for index in printable.indices {
            printable[index].disabledReason = destinations[index].disabledReason?.escapingControlCharacters
        }
        return printable
    }

    private func lines() -> [String] {
        var lines = [
            name.map { "workspace: \($0), " + (workspace.map { "app \($0)" } ?? Self.noAppID(polled: polled)) }
                ?? "workspace: \(workspace ?? "(not yet known)")", "", "topics:",
        ]
        if topics.isEmpty { lines.append("  (none yet: the daemon has not run)") }
        for topic in topics {
            var line =
                "  \(topic.topic): watermark \(Self.time(topic.watermark)) (\(Self.age(topic.lagSeconds)) behind)"
            line += ", last poll " + (topic.lastPollAt.map { "\(Self.age(generatedAt - $0)) ago" } ?? "never")
            if let result = topic.lastResult { line += ": \(result)" }
            lines.append(line)
            if let error = topic.lastError { lines.append("    last error: \(error)") }
            if let reset = topic.pendingResetTo { lines.append("    reset to \(Self.time(reset)) at the next cycle") }
            if topic.futureDatedItems > 0 {
                lines.append(
                    "    \(topic.futureDatedItems) items dated in the future: they fired, the watermark stopped at now plus 5 minutes"
                )
            }
            if topic.suppressedUpdates > 0 {
                lines.append(
                    "    \(topic.suppressedUpdates) updates suppressed: only ignored fields changed ([triggers] ignore_fields)"
                )
            }
            if topic.skippedItems > 0 {
                lines.append(
                    "    \(topic.skippedItems) items skipped: Intercom returned them in a form that cannot be read (see the log)"
                )
            }
        }
        return lines + [""] + Self.destinationLines(destinations, at: generatedAt, workspace: name)
    }

    /// Whether any topic was polled (an app id may still be unknown: the first polls failed).
    private var polled: Bool { topics.contains { $0.lastPollAt != nil } }

    /// What stands for a workspace's app id before one is known.
    static func noAppID(polled: Bool) -> String { polled ? "app id not yet known" : "not yet polled" }

    /// The `destinations:` part of the text, as of `generatedAt`; its commands act on `workspace` only when set.
    static func destinationLines(_ destinations: [DestinationStatus], at generatedAt: Int, workspace: String? = nil)
        -> [String]
    {
        var lines = ["destinations:"]
        for destination in destinations {
            var line = "  \(destination.name): \(destination.pending) queued, \(destination.dead) dead"
            if let oldest = destination.oldestPendingDetectedAt {
                line += ", oldest queued \(Self.age(generatedAt - oldest)) ago"
            }
            if let last = destination.lastDeliveredAt { line += ", last delivery \(Self.age(generatedAt - last)) ago" }
            if destination.filtered > 0 { line += ", \(destination.filtered) skipped by its filter" }
            if let until = destination.retryingUntil, until > generatedAt {
                line +=
                    ", retries wait up to \(Self.age(until - generatedAt)) more "
                    + "(`intercom-triggerd replay --destination \(destination.name) --waiting"
                    + (workspace.map { " --workspace \($0)" } ?? "") + "` retries now)"
            }
            if destination.disabled {
                line +=
                    " — DISABLED (\(destination.disabledReason ?? "no reason")); enable with "
                    + "`intercom-triggerd enable --destination \(destination.name)`"
            }
            lines.append(line)
        }
        return lines
    }

    static func time(_ unix: Int) -> String {
        unix <= 0 ? "the beginning" : Date(timeIntervalSince1970: TimeInterval(unix)).formatted(.iso8601)
    }

    static func age(_ seconds: Int) -> String {
        switch max(0, seconds) {
        case ..<120: "\(max(0, seconds))s"
        case ..<7_200: "\(seconds / 60)m"
        case ..<172_800: "\(seconds / 3_600)h"
        default: "\(seconds / 86_400)d"
        }
    }
}
