import Foundation

/// The daemon's resolved configuration (`daemon.conf`, DESIGN §9): every default filled in, every secret read,
/// everything validated. Build one with ``load(path:environment:)`` or ``parse(text:file:environment:)``.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Where the daemon looks when `--config` is not given.
    public static let defaultPath = "/etc/intercom-triggerd/daemon.conf"

    /// The file this configuration was read from, as given.
    public var file: String
    public var intercom: Intercom
    public var poll: Poll
    public var store: Store
    public var triggers: Triggers
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

    /// A configuration built in code (tests, the demo); `destinations` empty means the default stdout one.
    public init(
        file: String = "<memory>", intercom: Intercom, poll: Poll = Poll(),
        store: Store = Store(path: Store.fallbackPath),
        triggers: Triggers = Triggers(), destinations: [Destination] = [], delivery: Delivery = Delivery(),
        metrics: Metrics = Metrics(), service: Service = Service(), log: Log = Log(),
        warnings: [ConfigWarning] = []
    ) {
        self.file = file
        self.intercom = intercom
        self.poll = poll
        self.store = store
        self.triggers = triggers
        self.destinationsDefaulted = destinations.isEmpty
        self.destinations =
            destinations.isEmpty ? [Destination(name: "stdout", kind: .stdout, topics: triggers.topics)] : destinations
        self.delivery = delivery
        self.metrics = metrics
        self.service = service
        self.log = log
        self.warnings = warnings
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
            configuration.warnings.append(
                ConfigWarning(
                    file: path, line: line,
                    problem: "the file holds a secret inline and is readable by group or others",
                    fix: "chmod 600 \(path), or move the secret to a …_file key"))
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
