import Foundation
import TOMLKit

extension ConfigParser {
    /// The `[[destination]]` tables in file order (empty when there are none), for `workspaces` (the one
    /// `default` workspace of the single-workspace form unless `named`: the file defines its workspaces).
    mutating func destinationList(
        _ root: TOMLTable, workspaces: [DaemonConfiguration.Workspace], named: Bool
    ) throws(ConfigError) -> [DaemonConfiguration.Destination] {
        var destinations: [DaemonConfiguration.Destination] = []
        for table in try arrayOfTables("destination", noun: "destination", in: root) {
            let destination = try destination(table, workspaces: workspaces, named: named)
            if let earlier = destinations.firstIndex(where: { $0.name == destination.name }) {
                throw error(
                    at: "\(table.path).name",
                    "destination name \"\(destination.name)\" is used twice (also on line "
                        + "\(map.line(of: "destination[\(earlier)].name")))",
                    fix: "give each [[destination]] its own name")
            }
            destinations.append(destination)
        }
        return destinations
    }

    mutating func destination(
        _ unnamed: Table, workspaces: [DaemonConfiguration.Workspace], named: Bool
    ) throws(ConfigError) -> DaemonConfiguration.Destination {
        try checkKeys(unnamed)
        guard let name = try string(unnamed, "name") else {
            throw error(
                at: unnamed.path, "\(unnamed.label) has no name",
                fix: "add name = \"crm\" (letters, digits, '.', '_', '-'), unique among destinations")
        }
        guard Self.isValidName(name) else {
            throw error(
                at: path(unnamed, "name"), "destination name \"\(name)\" is not 1–64 letters, digits, '.', '_' or '-'",
                fix: "write name = \"crm\"")
        }
        var table = unnamed
        table.label = "[[destination]] \"\(name)\""

        let stdout = try bool(table, "stdout") ?? false
        let urlText = try string(table, "url")
        let kind: DaemonConfiguration.Destination.Kind
        switch (stdout, urlText) {
        case (true, .some):
            throw error(
                at: path(table, "stdout"), "\(table.label) has both url and stdout = true",
                fix: "keep one; use two [[destination]] tables to send to both")
        case (false, .none):
            throw error(
                at: table.path, "\(table.label) has neither url nor stdout = true",
                fix: "add url = \"https://hooks.example.com/intercom\" or stdout = true")
        case (true, .none):
            if let key = (Self.secretKeys + ["unsigned"]).first(where: { table.toml[$0] != nil }) {
                throw error(
                    at: path(table, key), "\(table.label) writes to stdout, which is not signed, but sets `\(key)`",
                    fix: "remove \(key)")
            }
            if let key = Self.connectionKeys.filter({ table.toml[$0] != nil })
                .min(by: { map.line(of: path(table, $0)) < map.line(of: path(table, $1)) })
            {
                throw error(
                    at: path(table, key),
                    "\(table.label) writes to stdout, which makes no HTTP request, but sets `\(key)`",
                    fix: "remove \(key); it belongs to a destination with a url")
            }
            kind = .stdout
        case (false, .some(let text)):
            kind = .webhook(try webhook(text, table))
        }

        let served = try servedWorkspaces(table, among: workspaces)
        let scope = served.map { names in workspaces.filter { names.contains($0.name) } } ?? workspaces
        // The workspaces' topics: what the destination may take, and its default.
        let enabled = DaemonConfiguration.topics(of: scope)
        var topics = enabled
        if let names = try strings(table, "topics") {
            let enabledIn =
                !named
                ? "[triggers] topics"
                : served == nil
                    ? "the topics of any workspace"
                    : "the topics of its workspaces (\(scope.map(\.name).joined(separator: ", ")))"
            topics = try self.topics(names, in: table, enabled: enabled, enabledIn: enabledIn)
        }
        let ignored = Self.ignoredEverywhere(scope)
        let timeout = try duration(table, "timeout") ?? .seconds(15)
        let concurrency = try integer(table, "concurrency", in: 1...256)
        let ordered = try bool(table, "ordered") ?? false
        if ordered, let concurrency, concurrency > 1 {
            throw error(
                at: path(table, "concurrency"), "\(table.label) is ordered but sets concurrency = \(concurrency)",
                fix: "remove concurrency (ordered delivery is one at a time) or set ordered = false")
        }
        var schedule = DaemonConfiguration.Destination.defaultRetrySchedule
        if let steps = try retrySchedule(table) {
            schedule = steps
        }
        let filter = try eventFilter(table, name: name, topics: topics, ignored: ignored, multiple: named)
        return DaemonConfiguration.Destination(
            name: name, kind: kind, topics: topics, timeout: timeout, concurrency: concurrency ?? 4, ordered: ordered,
            retrySchedule: schedule, format: try format(table), filter: filter, workspaces: served)
    }

    /// `format`: `intercom` (the default) or `cloudevents`.
    func format(_ table: Table) throws(ConfigError) -> EventFormat {
        guard let text = try string(table, "format") else { return .intercom }
        guard let format = EventFormat(rawValue: text) else {
            throw error(
                at: path(table, "format"), "unknown format \"\(text)\" in \(table.label)",
                fix: "write format = \"intercom\" (Intercom's webhook envelope, the default) or "
                    + "format = \"cloudevents\" (CloudEvents 1.0, structured mode)")
        }
        return format
    }

    /// The webhook at `text` with its secrets.
    mutating func webhook(
        _ text: String, _ table: Table
    ) throws(ConfigError) -> DaemonConfiguration.Destination.Webhook {
        let url = try url(text, at: path(table, "url"), key: "url", label: table.label)
        let current = try secret(table, "secret", webhook: true)
        let previous = try secret(table, "previous_secret", webhook: true)
        let client = try secret(table, "intercom_client_secret", webhook: false)
        if previous != nil && current == nil {
            let key = table.toml["previous_secret"] != nil ? "previous_secret" : "previous_secret_file"
            throw error(
                at: path(table, key), "\(table.label) has a previous secret but no current secret",
                fix: "add secret_file (or secret) with the new whsec_ secret")
        }
        // Unsigned requests let anyone who can reach the receiver forge events: only on purpose.
        let unsigned = try bool(table, "unsigned") ?? false
        if current == nil && !unsigned {
            throw error(
                at: path(table, "url"), "\(table.label) has no secret, so its requests would be unsigned",
                fix: "add secret_file = \"/etc/intercom-triggerd/\(Self.fileName(table))\" holding a whsec_ secret, "
                    + "or unsigned = true to send unsigned requests on purpose")
        }
        if current != nil && unsigned {
            throw error(
                at: path(table, "unsigned"), "\(table.label) sets unsigned = true but also a secret",
                fix: "remove unsigned = true, or the secret")
        }
        let connection = try connectionSettings(
            table, clientCertificates: true, plainHTTP: url.scheme?.lowercased() == "http")
        return .init(
            url: url, secret: current, previousSecret: previous, intercomClientSecret: client, connection: connection)
    }

    /// `retry_schedule`: durations longer than zero (an empty list means no retries).
    func retrySchedule(_ table: Table) throws(ConfigError) -> [Duration]? {
        guard let value = table.toml["retry_schedule"] else { return nil }
        guard let array = value.array else {
            throw wrongType(table, "retry_schedule", "an array of duration strings", value)
        }
        var steps: [Duration] = []
        for element in array {
            guard let text = element.string else {
                throw wrongType(table, "retry_schedule", "an array of duration strings", element)
            }
            let line = map.line(of: path(table, "retry_schedule"), literal: text)
            steps.append(try duration(text, key: "retry_schedule", in: table, positive: true, line: line))
        }
        return steps
    }

    /// The keys a stdout destination cannot use.
    static let secretKeys = [
        "secret", "secret_file", "previous_secret", "previous_secret_file", "intercom_client_secret",
        "intercom_client_secret_file",
    ]

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }

    static func fileName(_ table: Table) -> String {
        let name = (table.toml["name"]?.string).flatMap { isValidName($0) ? $0 : nil } ?? "destination"
        return "\(name).secret"
    }
}
