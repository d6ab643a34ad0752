import Foundation
import Logging
import TOMLKit

extension ConfigParser {
    /// Parses the whole document.
    mutating func parse() throws(ConfigError) -> DaemonConfiguration {
        let root = try document()
        try checkKeys(Table(toml: root, path: "", section: "", label: "the top level"))
        // With [[workspace]] or workspaces_dir, [intercom], [poll] and [triggers] are the workspaces' defaults.
        let many = root["workspace"] != nil || root["workspaces_dir"] != nil
        let intercomTable = try section("intercom", in: root)
        if many { try refuseSharedToken(intercomTable) }
        let intercom = try intercomSettings(intercomTable, token: !many)
        let pollTable = try section("poll", in: root)
        let poll = try pollSettings(pollTable)
        warnIfLookbackIsShort(poll, pollTable)
        let store = try storeSettings(section("store", in: root))
        let triggers = try triggerSettings(section("triggers", in: root))
        let defaults = DaemonConfiguration.Workspace(
            name: DaemonConfiguration.Workspace.defaultName, intercom: intercom, triggers: triggers, poll: poll,
            file: file)
        let workspaces = many ? try workspaceList(root, defaults: defaults) : []
        let destinations = try destinationList(root, workspaces: many ? workspaces : [defaults], named: many)
        let delivery = try deliverySettings(section("delivery", in: root))
        let metrics = try metricsSettings(section("metrics", in: root))
        let service = try serviceSettings(section("service", in: root))
        let log = try logSettings(section("log", in: root))
        return DaemonConfiguration(
            file: file, intercom: intercom, poll: poll, store: store, triggers: triggers, workspaces: workspaces,
            workspacesDirectory: try workspacesDirectory(root), destinations: destinations, delivery: delivery,
            metrics: metrics, service: service, log: log, warnings: warnings)
    }

    /// The TOML document of ``text``.
    func document() throws(ConfigError) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                file: file, line: max(1, error.source.begin.line), problem: "not valid TOML: \(error.description)",
                fix: "correct the syntax on that line (strings in double quotes, durations as strings like \"120s\")")
        } catch {
            throw ConfigError(
                file: file, line: 0, problem: "not valid TOML: \(error)", fix: "correct the file's syntax")
        }
    }

    /// `[intercom]`; its access token only when `token` (the single-workspace form), else absent.
    mutating func intercomSettings(_ table: Table, token: Bool = true) throws(ConfigError)
        -> DaemonConfiguration.Intercom
    {
        try checkKeys(table)
        var settings = DaemonConfiguration.Intercom(accessToken: Secret("", source: .absent))
        try readAPISettings(table, into: &settings)
        settings.connection = try connectionSettings(
            table, clientCertificates: false, plainHTTP: settings.baseURL?.scheme?.lowercased() == "http")
        if token {
            settings.accessToken = try accessToken(table)
        }
        return settings
    }

    /// `region`, `base_url`, `api_version` and `max_requests_per_minute` of `table` (`[intercom]` or a workspace)
    /// over `settings`. A region written here drops an inherited base URL, which would override it.
    func readAPISettings(_ table: Table, into settings: inout DaemonConfiguration.Intercom) throws(ConfigError) {
        if let region = try string(table, "region") {
            guard let value = IntercomConfiguration.Region(rawValue: region) else {
                throw error(
                    at: path(table, "region"), "unknown region \"\(region)\" in \(table.label)",
                    fix: "write region = \"us\", \"eu\" or \"au\" (the workspace's data region)")
            }
            settings.region = value
            settings.baseURL = nil
        }
        if let text = try nonEmptyString(table, "base_url") {
            settings.baseURL = try url(text, at: path(table, "base_url"), key: "base_url", label: table.label)
        }
        if let version = try nonEmptyString(table, "api_version") {
            settings.apiVersion = version
        }
        if let limit = try integer(table, "max_requests_per_minute", in: 1...1_000_000) {
            settings.maxRequestsPerMinute = limit
        }
    }

    func pollSettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Poll {
        try checkKeys(table)
        var settings = DaemonConfiguration.Poll()
        try readPollSettings(table, into: &settings)
        // The daemon's, not a workspace's: a workspace table does not take it.
        if let concurrency = try integer(table, "concurrency", in: 1...256) { settings.concurrency = concurrency }
        return settings
    }

    /// `interval` and `lookback` of `table` (`[poll]` or a workspace) over `settings`.
    func readPollSettings(_ table: Table, into settings: inout DaemonConfiguration.Poll) throws(ConfigError) {
        if let interval = try duration(table, "interval") {
            guard interval >= .seconds(1) else {
                throw error(
                    at: path(table, "interval"), "`interval` in \(table.label) is shorter than a second",
                    fix: "write interval = \"1s\" or longer; Intercom's rate limit is per 10 seconds")
            }
            settings.interval = interval
        }
        if let lookback = try duration(table, "lookback", positive: false) {
            settings.lookback = lookback
        }
    }

    /// Warns when `poll`, read from `table`, has a lookback shorter than its interval.
    mutating func warnIfLookbackIsShort(_ poll: DaemonConfiguration.Poll, _ table: Table) {
        guard poll.lookback < poll.interval else { return }
        warn(
            at: path(table, "lookback"),
            "`lookback` (\(ConfigDuration.format(poll.lookback))) is shorter than `interval` "
                + "(\(ConfigDuration.format(poll.interval))) in \(table.label): a record Intercom's search shows "
                + "later than `lookback` after its timestamp never fires, and search commonly lags by minutes",
            fix: "set lookback to at least the interval (the default is \"10m\")")
    }

    mutating func storeSettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Store {
        try checkKeys(table)
        let file = try nonEmptyString(table, "path")
        let url = try nonEmptyString(table, "url")
        if file != nil, url != nil {
            throw error(
                at: path(table, "url"), "[store] sets both path (a SQLite file) and url (a PostgreSQL database)",
                fix: "keep one: url for several daemons sharing one database, path for one daemon and its file")
        }
        if let url {
            var store = DaemonConfiguration.Store(
                path: DaemonConfiguration.Store.fallbackPath, postgres: try postgresLocation(url, table))
            if let lease = try duration(table, "lease") {
                guard lease >= .seconds(3), lease <= .seconds(600) else {
                    throw error(
                        at: path(table, "lease"), "[store] lease must be between 3s and 10m",
                        fix: "the default is \"30s\": another daemon takes a dead one's workspaces over within it")
                }
                store.lease = lease
            }
            return store
        }
        for key in ["password_file", "lease"] where table.toml[key] != nil {
            throw error(
                at: path(table, key), "[store] \(key) is for a PostgreSQL store, and url is not set",
                fix: "set url = \"postgresql://user@host:5432/database\", or remove \(key)")
        }
        guard let file else {
            return DaemonConfiguration.Store(path: DaemonConfiguration.Store.defaultPath(environment: environment))
        }
        return DaemonConfiguration.Store(path: resolvedPath(file))
    }

    /// The database of `[store] url`, its password from the URL, `password_file`, `$PGPASSWORD` or the systemd
    /// credential `store-password`, the first that is set (none: the server trusts the connection or its
    /// certificate).
    private mutating func postgresLocation(_ url: String, _ table: Table) throws(ConfigError)
        -> PostgresStoreLocation
    {
        var location: PostgresStoreLocation
        do {
            location = try PostgresStoreLocation(url: url)
        } catch let invalid as PostgresStoreLocation.Invalid {
            throw error(
                at: path(table, "url"), "[store] url: \(invalid.description)",
                fix: "write url = \"postgresql://user@host:5432/database\" (sslmode=verify-full to check the server)")
        } catch {
            throw self.error(at: path(table, "url"), "[store] url: \(error)", fix: "write a postgresql:// URL")
        }
        if location.password != nil {
            inlineSecretLines.append(map.line(of: path(table, "url")))
            if table.toml["password_file"] != nil {
                throw error(
                    at: path(table, "password_file"), "[store] has a password in url and a password_file",
                    fix: "keep password_file and write the url without the password")
            }
            return location
        }
        if let file = try nonEmptyString(table, "password_file") {
            location.password = try readSecretFile(
                resolvedPath(file), at: path(table, "password_file"), label: table.label)
        } else if let variable = environment["PGPASSWORD"], !variable.isEmpty {
            location.password = variable
        } else if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty,
            FileManager.default.fileExists(atPath: "\(directory)/store-password")
        {
            let credential = "\(directory)/store-password"
            switch ConfigFileReader.contents(of: credential, limit: 65_536) {
            case .success(let contents):
                location.password = contents.text.trimmingCharacters(in: .whitespacesAndNewlines)
            case .failure(let failure):
                throw error(
                    at: path(table, "url"), "cannot read the systemd credential \(credential): \(failure.reason)",
                    fix: "check LoadCredential=store-password:… in the unit")
            }
        }
        if location.password?.isEmpty == true {
            throw error(
                at: path(table, "url"), "the password of the [store] database is empty",
                fix: "put the password in password_file, or leave it unset for a server that needs none")
        }
        return location
    }

    func triggerSettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Triggers {
        try checkKeys(table)
        var settings = DaemonConfiguration.Triggers()
        try readTriggerSettings(table, into: &settings)
        return settings
    }

    /// `topics`, `start` and `ignore_fields` of `table` (`[triggers]` or a workspace) over `settings`.
    func readTriggerSettings(
        _ table: Table, into settings: inout DaemonConfiguration.Triggers
    ) throws(ConfigError) {
        if let names = try strings(table, "topics") {
            settings.topics = try topics(names, in: table, enabled: TopicCatalog.all)
        }
        if let value = table.toml["start"] {
            settings.start = try startPoint(value, in: table)
            if let refusal = settings.start.futureRefusal(now: Int(Date().timeIntervalSince1970)) {
                throw error(
                    at: path(table, "start"), "`start` in \(table.label): \(refusal)",
                    fix: "write a time in the past, or start = \"now\" (check this host's clock if the time is right)")
            }
        }
        if let fields = try strings(table, "ignore_fields") {
            settings.ignoreFields = try ignoreFields(fields, in: table)
        }
    }

    /// The paths of `ignore_fields`: dotted attribute paths without empty parts or surrounding spaces, each once.
    func ignoreFields(_ fields: [String], in table: Table) throws(ConfigError) -> [String] {
        let key = path(table, "ignore_fields")
        var accepted: [String] = []
        for field in fields {
            let parts = field.split(separator: ".", omittingEmptySubsequences: false)
            if parts.contains(where: { $0.isEmpty || $0.first!.isWhitespace || $0.last!.isWhitespace }) {
                throw ConfigError(
                    file: file, line: map.line(of: key, literal: field),
                    problem: "\"\(field)\" in `ignore_fields` is not an attribute path",
                    fix: "write dotted attribute names such as \"last_seen_at\" or \"custom_attributes.last_login\"")
            }
            guard !accepted.contains(field) else {
                throw ConfigError(
                    file: file, line: map.line(of: key, literal: field),
                    problem: "\"\(field)\" is listed twice in `ignore_fields`", fix: "list it once")
            }
            accepted.append(field)
        }
        return accepted
    }

    /// The topics `names` of `key = [...]` in `table`: known, each once, not empty, and all in `enabled`, which
    /// are the topics of `enabledIn` (named so in the fix; "[triggers] topics" in the single-workspace form).
    func topics(
        _ names: [String], in table: Table, enabled: [Topic], enabledIn: String = "[triggers] topics"
    ) throws(ConfigError) -> [Topic] {
        let key = path(table, "topics")
        guard !names.isEmpty else {
            throw error(
                at: key, "`topics` in \(table.label) is empty, so nothing would fire",
                fix: "list at least one topic, or remove the line for the defaults")
        }
        var topics: [Topic] = []
        for name in names {
            let line = map.line(of: key, literal: name)
            guard let topic = TopicCatalog.topic(named: name) else {
                let all = TopicCatalog.all.map(\.name)
                let near = ConfigSchema.nearest(name, among: all).map { "did you mean \"\($0)\"? " } ?? ""
                throw ConfigError(
                    file: file, line: line, problem: "unknown topic \"\(name)\" in \(table.label)",
                    fix: "\(near)known topics: \(all.joined(separator: ", "))")
            }
            guard !topics.contains(topic) else {
                throw ConfigError(
                    file: file, line: line, problem: "topic \"\(name)\" is listed twice in \(table.label)",
                    fix: "list it once")
            }
            guard enabled.contains(topic) else {
                throw ConfigError(
                    file: file, line: line,
                    problem: "topic \"\(name)\" in \(table.label) is not enabled in \(enabledIn)",
                    fix: "add \"\(name)\" to \(enabledIn), or remove it here")
            }
            topics.append(topic)
        }
        return topics
    }

    func startPoint(_ value: any TOMLValueConvertible, in table: Table) throws(ConfigError) -> StartPoint {
        let fix =
            "write start = \"now\", \"beginning\", an RFC 3339 time like \"2025-01-31T09:00:00Z\", or a duration back like \"24h\""
        if let dateTime = value.dateTime {
            guard dateTime.offset != nil, let date = dateTime.fDate else {
                throw error(at: path(table, "start"), "`start` in \(table.label) has no time zone offset", fix: fix)
            }
            return .at(Int(date.timeIntervalSince1970.rounded(.down)))
        }
        guard let text = value.string else { throw wrongType(table, "start", "a string", value) }
        guard let start = StartPoint(parsing: text) else {
            throw error(
                at: path(table, "start"), "`start` in \(table.label) is \"\(text)\", which is not a start", fix: fix)
        }
        return start
    }

    func deliverySettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Delivery {
        try checkKeys(table)
        var settings = DaemonConfiguration.Delivery()
        if let retention = try duration(table, "retention") {
            settings.retention = retention
        }
        return settings
    }

    func metricsSettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Metrics {
        try checkKeys(table)
        guard let text = try string(table, "listen") else { return DaemonConfiguration.Metrics() }
        guard let listen = DaemonConfiguration.Metrics.Listen(parsing: text) else {
            throw error(
                at: path(table, "listen"), "`listen` in [metrics] is \"\(text)\", not host:port",
                fix: "write listen = \"127.0.0.1:9464\" (IPv6: \"[::1]:9464\"), or remove the line")
        }
        return DaemonConfiguration.Metrics(listen: listen)
    }

    func serviceSettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Service {
        try checkKeys(table)
        var settings = DaemonConfiguration.Service()
        if let timeout = try duration(table, "shutdown_timeout") {
            guard timeout >= .seconds(1), timeout <= .seconds(600) else {
                throw error(
                    at: path(table, "shutdown_timeout"), "`shutdown_timeout` in [service] is outside 1s…10m",
                    fix: "write shutdown_timeout = \"20s\", below the unit's TimeoutStopSec (30s as shipped)")
            }
            settings.shutdownTimeout = timeout
        }
        if let limit = try duration(table, "stall_limit") {
            guard limit >= .seconds(1) else {
                throw error(
                    at: path(table, "stall_limit"), "`stall_limit` in [service] is shorter than a second",
                    fix: "write stall_limit = \"5m\"; it must outlast the slowest request with its retries")
            }
            settings.stallLimit = limit
        }
        return settings
    }

    func logSettings(_ table: Table) throws(ConfigError) -> DaemonConfiguration.Log {
        try checkKeys(table)
        var settings = DaemonConfiguration.Log()
        if let text = try string(table, "level") {
            guard let level = Logger.Level(rawValue: text) else {
                let levels = Logger.Level.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw error(
                    at: path(table, "level"), "unknown log level \"\(text)\"", fix: "write level = one of \(levels)")
            }
            settings.level = level
        }
        if let interval = try duration(table, "summary_interval") {
            guard interval >= .seconds(1) else {
                throw error(
                    at: path(table, "summary_interval"), "`summary_interval` in [log] is shorter than a second",
                    fix: "write summary_interval = \"1h\" (one info line with the figures since the last one)")
            }
            settings.summaryInterval = interval
        }
        return settings
    }

    /// An http(s) URL with a host; plain http only to a loopback host (tokens and events must not cross a network
    /// in clear).
    func url(_ text: String, at path: String, key: String, label: String) throws(ConfigError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            scheme == "https" || scheme == "http"
        else {
            throw error(
                at: path, "`\(key)` in \(label) is not an http(s) URL with a host",
                fix: "write \(key) = \"https://host/path\"")
        }
        if scheme == "http" && !LoopbackHost.contains(host) {
            throw error(
                at: path, "`\(key)` in \(label) uses plain http to \(host), which is not a loopback host",
                fix: "use https://, or http only to 127.0.0.1, ::1 or localhost")
        }
        return url
    }
}
