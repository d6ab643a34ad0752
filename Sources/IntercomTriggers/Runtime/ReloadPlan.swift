/// What a reload (SIGHUP) does with a re-read configuration: the configuration to run from now on, the
/// changes to log, the workspaces added, removed and changed, and the settings that keep their old value until a
/// restart.
///
/// Everything the daemon builds from the file is rebuilt on reload — topics, interval, lookback, destinations,
/// the Intercom client, retention, metrics, the summary — except what belongs to the process: the store it holds
/// locked, the log handler it bootstrapped once, and `[service]` (the shutdown bound and the watchdog's stall
/// limit are set for the process's signal handling and systemd notifier).
public struct ReloadPlan: Sendable, Equatable {
    /// The configuration to run: the new file's, with the process-bound settings kept from the running one.
    public var configuration: DaemonConfiguration
    /// One line per change that takes effect, e.g. `topics: +contact.lead.updated`; empty when nothing changed.
    public var changes: [String]
    /// Settings that changed in the file but keep their running value until a restart.
    public var needsRestart: [String]
    /// The workspaces to start, stop and restart; the others run on untouched.
    public var workspaces: WorkspaceChanges
    /// Whether every change is to workspaces, so the running generation can apply it in place
    /// (``Daemon/applying(_:)``): the other workspaces' polls and every lane go on. Otherwise a new generation starts.
    public var inPlace: Bool

    /// The plan for going from `running` to `loaded`.
    public static func between(_ running: DaemonConfiguration, _ loaded: DaemonConfiguration) -> ReloadPlan {
        var next = loaded
        var needsRestart: [String] = []
        if loaded.store != running.store {
            let what = running.store.postgres == nil && loaded.store.postgres == nil ? "[store] path" : "[store]"
            needsRestart.append("\(what) (\(running.store.displayName) is kept)")
            next.store = running.store
        }
        if loaded.service != running.service {
            needsRestart.append("[service] (shutdown_timeout and stall_limit are kept)")
            next.service = running.service
        }
        if loaded.log.level != running.log.level {
            needsRestart.append("[log] level (\(running.log.level.rawValue) is kept)")
            next.log.level = running.log.level
        }
        let workspaces = WorkspaceChanges.between(running, next)
        // With workspaces, [intercom], [triggers] and [poll] are defaults: what changes is the workspaces.
        let single = !running.definesWorkspaces && !next.definesWorkspaces
        var changes = single ? singleWorkspaceChanges(running, next) : workspaces.lines
        let workspaceLines = changes.count
        if next.poll.concurrency != running.poll.concurrency {
            changes.append("concurrency: \(running.poll.concurrency) → \(next.poll.concurrency)")
        }
        let oldNames = running.destinations.map(\.name)
        let newNames = next.destinations.map(\.name)
        if let line = difference("destinations", old: oldNames, new: newNames) { changes.append(line) }
        let kept = Dictionary(uniqueKeysWithValues: running.destinations.map { ($0.name, $0) })
        let edited = next.destinations.filter { destination in
            kept[destination.name].map { $0 != destination } ?? false
        }
        if !edited.isEmpty { changes.append("changed destinations: \(edited.map(\.name).joined(separator: ", "))") }
        if single && next.intercom != running.intercom { changes.append("[intercom] settings") }
        if next.delivery != running.delivery { changes.append("[delivery] settings") }
        if next.metrics != running.metrics { changes.append("[metrics] settings") }
        if next.log.summaryInterval != running.log.summaryInterval { changes.append("[log] summary_interval") }
        // `[intercom]` of the single-workspace form is its one workspace's connection.
        let others = changes.count - workspaceLines - (single && next.intercom != running.intercom ? 1 : 0)
        return ReloadPlan(
            configuration: next, changes: changes, needsRestart: needsRestart, workspaces: workspaces,
            inPlace: !workspaces.isEmpty && others == 0)
    }

    /// The change lines of the one workspace of the single-workspace form (`[intercom]` aside).
    private static func singleWorkspaceChanges(_ running: DaemonConfiguration, _ next: DaemonConfiguration) -> [String]
    {
        var changes: [String] = []
        let oldTopics = running.triggers.topics.map(\.name)
        let newTopics = next.triggers.topics.map(\.name)
        if let line = difference("topics", old: oldTopics, new: newTopics) { changes.append(line) }
        if next.triggers.start != running.triggers.start {
            changes.append("start: \(next.triggers.start) (for topics new to the store)")
        }
        if next.triggers.ignoreFields != running.triggers.ignoreFields {
            changes.append("ignore_fields (for updates detected from now on)")
        }
        if next.poll.interval != running.poll.interval {
            changes.append(
                "interval: \(ConfigDuration.format(running.poll.interval)) → \(ConfigDuration.format(next.poll.interval))"
            )
        }
        if next.poll.lookback != running.poll.lookback {
            changes.append(
                "lookback: \(ConfigDuration.format(running.poll.lookback)) → \(ConfigDuration.format(next.poll.lookback))"
            )
        }
        return changes
    }

    /// `label: +added −removed` (in the new order), or nil when the two lists hold the same names.
    private static func difference(_ label: String, old: [String], new: [String]) -> String? {
        let added = new.filter { !old.contains($0) }
        let removed = old.filter { !new.contains($0) }
        guard !added.isEmpty || !removed.isEmpty else { return nil }
        return "\(label): " + (added.map { "+\($0)" } + removed.map { "−\($0)" }).joined(separator: " ")
    }
}
