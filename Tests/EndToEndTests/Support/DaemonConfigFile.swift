import Foundation

/// A daemon configuration (TOML) for a simulator, written into a test's ``TemporaryDirectory`` with mode 0600.
struct DaemonConfigFile: Sendable {
    /// The simulator's base URL.
    var baseURL: String
    /// The state database path.
    var storePath: String
    /// `[store] url` (and `password_file`) instead of `path`: a PostgreSQL store.
    var storeURL: String?
    var storePasswordFile: String?
    /// `[poll] interval`.
    var interval = "1s"
    /// `[poll] lookback`.
    var lookback = "10m"
    /// `[triggers] start`: `beginning` backfills everything.
    var start = "beginning"
    /// `[triggers] topics`, or nil for the default topics.
    var topics: [String]?
    /// Extra TOML appended verbatim (more sections, `[[destination]]` tables, …).
    var extra = ""
    /// Whether to add the `stdout` destination.
    var stdoutDestination = true

    /// A configuration for `simulator` with its store `state.sqlite` in `directory`.
    init(simulator: SimulatorProcess, directory: TemporaryDirectory) {
        baseURL = simulator.baseURL
        storePath = directory.path("state.sqlite")
    }

    /// The TOML text.
    var text: String {
        var lines = [
            "[intercom]", "access_token = \"\(SimulatorProcess.token)\"", "base_url = \"\(baseURL)\"", "",
            "[poll]", "interval = \"\(interval)\"", "lookback = \"\(lookback)\"", "",
            "[store]",
            storeURL.map { "url = \"\($0)\"" } ?? "path = \"\(storePath)\"",
            storePasswordFile.map { "password_file = \"\($0)\"" } ?? "", "",
            "[triggers]", "start = \"\(start)\"",
        ]
        if let topics {
            lines.append("topics = [" + topics.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        }
        if stdoutDestination {
            lines += ["", "[[destination]]", "name = \"stdout\"", "stdout = true"]
        }
        return lines.joined(separator: "\n") + "\n" + extra
    }

    /// Writes `daemon.conf` (mode 0600) into `directory`; answers its path.
    @discardableResult
    func write(in directory: TemporaryDirectory, name: String = "daemon.conf") throws -> String {
        let path = directory.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }
}
