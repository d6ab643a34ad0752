import Foundation

/// What `status` shows when there are several workspaces: one line per workspace — its app id, the largest
/// watermark lag of its topics, its last poll and result, its failing topics and their last error, the queued and
/// dead deliveries of its events — then the destinations, with the counts of every workspace's events.
/// `status --workspace NAME` shows one in full (``StatusReport``).
public struct StatusSummary: Codable, Sendable, Equatable {
    public struct WorkspaceStatus: Codable, Sendable, Equatable {
        public var name: String
        /// False for a workspace the store holds that the configuration no longer names.
        public var configured: Bool
        /// The Intercom app id; nil before its first poll learnt it.
        public var appID: String?
        /// How many topics the store holds for it (none before its first poll).
        public var topics: Int
        /// How far its furthest-behind topic's watermark is behind now, in seconds; nil without topics.
        public var maxLagSeconds: Int?
        /// Its latest poll of any topic, and that poll's result.
        public var lastPollAt: Int?
        public var lastResult: String?
        /// Topics whose last poll failed, and the error of the latest of those polls.
        public var failingTopics: Int
        public var lastError: String?
        /// Deliveries of its events waiting, and given up on (dead letters), over every destination.
        public var pending: Int
        public var dead: Int

        /// Neither polled nor holding anything yet.
        public var notYetPolled: Bool { appID == nil && lastPollAt == nil }
    }

    public var generatedAt: Int
    /// Sorted by name.
    public var workspaces: [WorkspaceStatus]
    public var destinations: [StatusReport.DestinationStatus]
    /// On a store several daemons share (#16): the live daemons and who polls what; nil for a SQLite store.
    public var sharing: StoreSharing?

    /// Reads the store for `workspaces` in a few queries whatever their number; `destinations` are the configured
    /// ones (listed even without rows), then any other the store has rows for.
    public static func collect(
        store: StateStore, workspaces: AdminWorkspaces, destinations: [String], now: Int
    ) async throws -> StatusSummary {
        let states = try await store.topicStatesByWorkspace()
        let counts = try await store.outboxCountsByWorkspace()
        let rows = workspaces.entries.map { entry in
            let topics = entry.store.flatMap { states[$0] } ?? []
            let count = entry.store.flatMap { counts[$0] }
            let latest = topics.filter { $0.lastPollAt != nil }.max { $0.lastPollAt! < $1.lastPollAt! }
            let failing = topics.filter { $0.lastError != nil }
            let latestFailure = failing.max { ($0.lastPollAt ?? 0) < ($1.lastPollAt ?? 0) }
            return WorkspaceStatus(
                name: entry.name, configured: entry.configured, appID: entry.appID, topics: topics.count,
                maxLagSeconds: topics.map { max(0, now - $0.watermark) }.max(), lastPollAt: latest?.lastPollAt,
                lastResult: latest?.lastResult, failingTopics: failing.count, lastError: latestFailure?.lastError,
                pending: count?.pending ?? 0, dead: count?.dead ?? 0)
        }
        return StatusSummary(
            generatedAt: now, workspaces: rows,
            destinations: try await StatusReport.destinationRows(store: store, names: destinations, of: .all))
    }

    /// JSON for `status --json` (snake_case keys, sorted).
    public func json() throws -> Data {
        try StatusReport.json(printable())
    }

    /// The human text.
    public func text() -> String {
        let summary = printable()
        var notes: [String] = []
        // A workspace the configuration no longer names is not polled: it is counted as that, not as failing.
        let failing = summary.workspaces.filter { $0.configured && $0.failingTopics > 0 }.count
        let unpolled = summary.workspaces.filter { $0.configured && $0.notYetPolled }.count
        let unconfigured = summary.workspaces.filter { !$0.configured }.count
        if failing > 0 { notes.append("\(failing) failing") }
        if unpolled > 0 { notes.append("\(unpolled) not yet polled") }
        if unconfigured > 0 { notes.append("\(unconfigured) not configured") }
        var lines = [
            "workspaces: \(summary.workspaces.count)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"),
            "",
        ]
        lines += summary.workspaces.map { workspace in
            let owner = sharing.map { " · " + ($0.owner(of: workspace.name).map { "polled by \($0)" } ?? "no daemon") }
            return "  " + workspace.line(at: generatedAt) + (owner ?? "")
        }
        lines += [""] + StatusReport.destinationLines(summary.destinations, at: generatedAt)
        if let sharing { lines += [""] + sharing.lines() }
        return lines.joined(separator: "\n")
    }

    /// This summary with the text that came from outside (app ids, error messages, a receiver's reason) escaped.
    func printable() -> StatusSummary {
        var summary = self
        for index in summary.workspaces.indices {
            summary.workspaces[index].name = workspaces[index].name.escapingControlCharacters
            summary.workspaces[index].appID = workspaces[index].appID?.escapingControlCharacters
            summary.workspaces[index].lastResult = workspaces[index].lastResult?.escapingControlCharacters
            summary.workspaces[index].lastError = workspaces[index].lastError?.escapingControlCharacters
        }
        summary.destinations = StatusReport.printable(destinations)
        return summary
    }
}

extension StatusSummary.WorkspaceStatus {
    /// Its line of the text (without the indent), as of `now`.
    func line(at now: Int) -> String {
        var line = name + (configured ? "" : " (not configured)") + ": "
        if notYetPolled {
            line += "not yet polled"
            return pending + dead > 0 ? line + ", \(pending) queued, \(dead) dead" : line
        }
        line += appID.map { "app \($0)" } ?? StatusReport.noAppID(polled: true)
        if let lag = maxLagSeconds { line += ", \(StatusReport.age(lag)) behind" }
        line += ", last poll " + (lastPollAt.map { "\(StatusReport.age(now - $0)) ago" } ?? "never")
        if let result = lastResult { line += ": \(result)" }
        if failingTopics > 0 {
            line += "; \(failingTopics) of \(topics) topics " + (configured ? "failing" : "failed at their last poll")
            line += lastError.map { ", last error: \($0)" } ?? ""
        }
        return line + "; \(pending) queued, \(dead) dead"
    }
}
