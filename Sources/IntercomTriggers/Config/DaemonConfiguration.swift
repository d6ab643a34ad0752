import Foundation

/// The daemon's resolved configuration (`daemon.conf`, DESIGN §9): every default filled in, every secret read,
/// everything validated. Build one with ``load(path:environment:)`` or ``parse(text:file:environment:)``.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Where the daemon looks when `--config` is not given.
    public static let defaultPath = "/etc/intercom-triggerd/daemon.conf"

    /// The file this configuration was read from, as given.
    public var file: String
    /// `[intercom]`: the one workspace's settings in the single-workspace form; with ``definesWorkspaces``, what
    /// the workspaces do not set themselves (its token is then absent: each workspace has its own).
    public var intercom: Intercom
    /// `[poll]`: the one workspace's, or the workspaces' defaults (see ``intercom``).
    public var poll: Poll
    public var store: Store
    /// `[triggers]`: the one workspace's, or the workspaces' defaults (see ``intercom``).
    public var triggers: Triggers
    /// The workspaces of `[[workspace]]` tables and `workspaces_dir`, sorted by name; empty in the
    /// single-workspace form.
    private var definedWorkspaces: [Workspace]
    /// `workspaces_dir`, resolved against the file's directory; nil when not set.
    public var workspacesDirectory: String?
    /// The `[[destination]]` tables in file order; one stdout destination when the file has none.
    public var destinations: [Destination]
    /// True when the file has no `[[destination]]` and ``destinations`` is the default stdout one.
    public var destinationsDefaulted: Bool
    public var delivery: Delivery
    public var metrics: Metrics
    public var service: Service
    public var log: Log
    /// What the daemon accepts but an operator should fix; the CLI prints these to stderr.
    public var warnings: [ConfigWarning]

    /// A configuration built in code (tests, the demo); `destinations` empty means the default stdout one, with
    /// every workspace's topics. `workspaces` empty is the single-workspace form (see ``workspaces``).
    public init(
        file: String = "<memory>", intercom: Intercom, poll: Poll = Poll(),
        store: Store = Store(path: Store.fallbackPath),
        triggers: Triggers = Triggers(), workspaces: [Workspace] = [], workspacesDirectory: String? = nil,
        destinations: [Destination] = [], delivery: Delivery = Delivery(),
        metrics: Metrics = Metrics(), service: Service = Service(), log: Log = Log(),
        warnings: [ConfigWarning] = []
    ) {
        self.file = file
        self.intercom = intercom
        self.poll = poll
        self.store = store
        self.triggers = triggers
        self.definedWorkspaces = workspaces.sorted { $0.name < $1.name }
        self.workspacesDirectory = workspacesDirectory
        self.destinationsDefaulted = destinations.isEmpty
        self.destinations = destinations
        self.delivery = delivery
        self.metrics = metrics
        self.service = service
        self.log = log
        self.warnings = warnings
        if destinations.isEmpty {
            self.destinations = [Destination(name: "stdout", kind: .stdout, topics: Self.topics(of: self.workspaces))]
        }
    }

    /// True when the file defines its workspaces (`[[workspace]]`, `workspaces_dir`); false in the
    /// single-workspace form, where `[intercom]`, `[triggers]` and `[poll]` are the one workspace.
    public var definesWorkspaces: Bool { !definedWorkspaces.isEmpty }

    /// The workspaces to serve, never empty, sorted by name. In the single-workspace form, the one workspace
    /// ``Workspace/defaultName`` made of ``intercom``, ``triggers`` and ``poll`` (line 0 of ``file``), so that it
    /// always agrees with them. Setting one workspace named `default` in that form sets those three; setting any
    /// other list defines the workspaces (sorted by name; their names must be unique), and an empty one returns
    /// to the single-workspace form.
    public var workspaces: [Workspace] {
        get {
            guard definedWorkspaces.isEmpty else { return definedWorkspaces }
            return [
                Workspace(
                    name: Workspace.defaultName, intercom: intercom, triggers: triggers, poll: poll, file: file,
                    line: 0)
            ]
        }
        set {
            if definedWorkspaces.isEmpty, newValue.count == 1, let only = newValue.first,
                only.name == Workspace.defaultName
            {
                intercom = only.intercom
                triggers = only.triggers
                poll = only.poll
            } else {
                definedWorkspaces = newValue.sorted { $0.name < $1.name }
            }
        }
    }

    /// The workspace called `name`, if any.
    public func workspace(named name: String) -> Workspace? {
        workspaces.first { $0.name == name }
    }

    /// The topics of `workspaces`, each once, in the order they first appear.
    static func topics(of workspaces: [Workspace]) -> [Topic] {
        var topics: [Topic] = []
        for workspace in workspaces {
            for topic in workspace.triggers.topics where !topics.contains(topic) { topics.append(topic) }
        }
        return topics
    }

    /// Reads, parses and validates the file at `path`. `environment` supplies `INTERCOM_ACCESS_TOKEN`,
    /// `CREDENTIALS_DIRECTORY` and `STATE_DIRECTORY` (pass `ProcessInfo.processInfo.environment`).
    /// `tokenRequired: false` is for commands that use the store only (`status`, `reset`, `replay`, …): run from
    /// a root shell they cannot see the service's systemd credential, and need no token.
    public static func load(
        path: String, environment: [String: String], tokenRequired: Bool = true
    ) throws(ConfigError) -> DaemonConfiguration {
        let contents: ConfigFileReader.Contents
        switch ConfigFileReader.contents(of: path, limit: 1 << 20) {
        case .success(let read): contents = read
        case .failure(let failure):
            throw ConfigError(
                file: path, line: 0, problem: "cannot read the configuration file: \(failure.reason)",
                fix: "check the path given with --config (default \(defaultPath)) and that this user can read it")
        }
        var parser = ConfigParser(
            text: contents.text, file: path, environment: environment, tokenRequired: tokenRequired)
        var configuration = try parser.parse()
        if let line = parser.inlineSecretLines.min(), contents.othersCanRead {
            configuration.warnings.append(ConfigParser.readableSecretWarning(path, line: line))
        }
        return configuration
    }

    /// Parses and validates `text`, reporting problems against `file`; relative paths in it are taken relative to
    /// `file`'s directory.
    public static func parse(
        text: String, file: String, environment: [String: String]
    ) throws(ConfigError) -> DaemonConfiguration {
        var parser = ConfigParser(text: text, file: file, environment: environment)
        return try parser.parse()
    }
}
