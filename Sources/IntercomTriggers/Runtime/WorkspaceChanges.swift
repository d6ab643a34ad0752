/// Which workspaces a reload adds, removes and changes, by name: the runtime starts the added ones, stops the
/// removed ones, restarts the changed ones and leaves the others alone.
///
/// A workspace is changed when any of its resolved settings differs (token, region or base URL, API version, rate
/// ceiling, `ca_file` or `proxy` of `[intercom]`, topics, start, ignored fields, interval, lookback) — whether
/// written in it or inherited from `[intercom]`, `[triggers]` or `[poll]`. Where it is defined is not a setting:
/// moving a workspace from a `[[workspace]]` table to a file of `workspaces_dir` changes nothing.
public struct WorkspaceChanges: Sendable, Equatable {
    /// In the new configuration only; sorted.
    public var added: [String]
    /// In the running configuration only; sorted.
    public var removed: [String]
    /// In both, with different settings; sorted.
    public var changed: [String]
    /// For each changed workspace, what changed in it, in a fixed order: `token`, `region`, `base_url`,
    /// `api_version`, `max_requests_per_minute`, `ca_file or proxy`, `topics`, `start`, `ignore_fields`, `interval`,
    /// `lookback`.
    public var changedSettings: [String: [String]]

    public init(
        added: [String] = [], removed: [String] = [], changed: [String] = [], changedSettings: [String: [String]] = [:]
    ) {
        self.added = added
        self.removed = removed
        self.changed = changed
        self.changedSettings = changedSettings
    }

    /// Nothing added, removed or changed.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// The changes from `running`'s workspaces to `loaded`'s.
    public static func between(_ running: DaemonConfiguration, _ loaded: DaemonConfiguration) -> WorkspaceChanges {
        between(running.workspaces, loaded.workspaces)
    }

    /// The changes from the workspaces `old` to `new` (names unique in each).
    public static func between(
        _ old: [DaemonConfiguration.Workspace], _ new: [DaemonConfiguration.Workspace]
    ) -> WorkspaceChanges {
        let before = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var changes = WorkspaceChanges()
        changes.added = after.keys.filter { before[$0] == nil }.sorted()
        changes.removed = before.keys.filter { after[$0] == nil }.sorted()
        for (name, workspace) in after {
            guard let previous = before[name], !previous.hasSameSettings(as: workspace) else { continue }
            changes.changed.append(name)
            changes.changedSettings[name] = settings(changedFrom: previous, to: workspace)
        }
        changes.changed.sort()
        return changes
    }

    /// The names of the settings that differ between `old` and `new`.
    static func settings(
        changedFrom old: DaemonConfiguration.Workspace, to new: DaemonConfiguration.Workspace
    ) -> [String] {
        let checks: [(String, Bool)] = [
            ("token", old.intercom.accessToken != new.intercom.accessToken),
            ("region", old.intercom.region != new.intercom.region),
            ("base_url", old.intercom.baseURL != new.intercom.baseURL),
            ("api_version", old.intercom.apiVersion != new.intercom.apiVersion),
            ("max_requests_per_minute", old.intercom.maxRequestsPerMinute != new.intercom.maxRequestsPerMinute),
            ("ca_file or proxy", old.intercom.connection != new.intercom.connection),
            ("topics", old.triggers.topics != new.triggers.topics),
            ("start", old.triggers.start != new.triggers.start),
            ("ignore_fields", old.triggers.ignoreFields != new.triggers.ignoreFields),
            ("interval", old.poll.interval != new.poll.interval),
            ("lookback", old.poll.lookback != new.poll.lookback),
        ]
        return checks.filter(\.1).map(\.0)
    }

    /// The log lines: `workspaces: +a −b` and `changed workspaces: c (topics, interval)`.
    public var lines: [String] {
        var lines: [String] = []
        if !added.isEmpty || !removed.isEmpty {
            lines.append("workspaces: " + (added.map { "+\($0)" } + removed.map { "−\($0)" }).joined(separator: " "))
        }
        if !changed.isEmpty {
            let described = changed.map { name in
                "\(name) (\((changedSettings[name] ?? []).joined(separator: ", ")))"
            }
            lines.append("changed workspaces: " + described.joined(separator: ", "))
        }
        return lines
    }
}
