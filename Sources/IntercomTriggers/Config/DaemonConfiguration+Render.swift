import Foundation

extension DaemonConfiguration: CustomStringConvertible {
    /// ``render()``: never shows a secret.
    public var description: String { render() }

    /// ``render()``, the text `check-config` prints.
    public var redactedDescription: String { render() }

    /// The resolved configuration for `check-config`: TOML-like text with every default filled in and every
    /// secret shown as `"***"` with where it came from. URL passwords and query values are hidden too, since
    /// receivers often carry tokens there, and so are proxy passwords.
    public func render() -> String {
        var out: [String] = ["# \(file), resolved: defaults filled in, secrets shown as \"***\"", ""]
        if definesWorkspaces {
            out += [
                "# \(workspaces.count) workspaces, each shown below as a [[workspace]] with every setting resolved;",
                "# [intercom], [poll] and [triggers] hold what a workspace does not set itself.",
            ]
            if let workspacesDirectory {
                out.append("# workspaces_dir = \(Self.quoted(workspacesDirectory)): its files are among them")
            }
            out += ["", "[intercom]", "# access_token is not set: each workspace has its own"]
        } else {
            out += ["[intercom]", "access_token = \"***\"  # \(intercom.accessToken.source)"]
        }
        out += Self.renderedAPILines(intercom)
        out += Self.renderedLines(intercom.connection, clientCertificates: false)
        out += [
            "",
            "[poll]",
            "interval = \(Self.quoted(ConfigDuration.format(poll.interval)))",
            "lookback = \(Self.quoted(ConfigDuration.format(poll.lookback)))",
            "concurrency = \(poll.concurrency)",
            "",
            "[store]",
            store.postgres.map { "url = \(Self.quoted($0.redacted))" } ?? "path = \(Self.quoted(store.path))",
            "",
            "[triggers]",
            "topics = \(Self.list(triggers.topics.map(\.name)))",
            "start = \(Self.quoted(triggers.start.description))",
            "ignore_fields = \(Self.list(triggers.ignoreFields))",
            "",
        ]
        if definesWorkspaces {
            for workspace in workspaces { out += Self.renderedLines(workspace, configurationFile: file) + [""] }
        }
        if destinationsDefaulted {
            out.append("# no [[destination]] in the file: events go to stdout")
        }
        for destination in destinations {
            out += ["[[destination]]", "name = \(Self.quoted(destination.name))"]
            switch destination.kind {
            case .stdout:
                out.append("stdout = true")
            case .webhook(let webhook):
                out.append("url = \(Self.quoted(Self.redacted(webhook.url)))")
                // An unsigned destination had to say so (`unsigned = true`): the rendering says it too, and parses.
                out.append(
                    webhook.secret == nil
                        ? "unsigned = true  # requests are unsigned"
                        : Self.secretLine("secret", webhook.secret, unset: ""))
                out.append(Self.secretLine("previous_secret", webhook.previousSecret, unset: "no rotation"))
                out.append(
                    Self.secretLine("intercom_client_secret", webhook.intercomClientSecret, unset: "no X-Hub-Signature")
                )
                out += Self.renderedLines(webhook.connection, clientCertificates: true)
            }
            out += [
                "topics = \(Self.list(destination.topics.map(\.name)))",
                "timeout = \(Self.quoted(ConfigDuration.format(destination.timeout)))",
                "concurrency = \(destination.concurrency)",
                "ordered = \(destination.ordered)",
                "retry_schedule = \(Self.list(destination.retrySchedule.map(ConfigDuration.format)))",
                "format = \(Self.quoted(destination.format.rawValue))",
            ]
            if let served = destination.workspaces {
                out.append("workspaces = \(Self.list(served.sorted()))")
            } else if definesWorkspaces {
                out.append("# workspaces is not set: every workspace")
            }
            out.append("# filter: \(destination.filter)")
            for condition in destination.filter.conditions {
                out += ["", "[[destination.when]]", "field = \(Self.quoted(condition.field))"]
                out.append("operator = \(Self.quoted(condition.operator.rawValue))")
                if let value = condition.value { out.append("value = \(value)") }
            }
            out.append("")
        }
        out += [
            "[delivery]",
            "retention = \(Self.quoted(ConfigDuration.format(delivery.retention)))",
            "",
            "[metrics]",
            metrics.listen.map { "listen = \(Self.quoted($0.description))" }
                ?? "# listen is not set: no metrics endpoint",
            "",
            "[service]",
            "shutdown_timeout = \(Self.quoted(ConfigDuration.format(service.shutdownTimeout)))",
            "stall_limit = \(Self.quoted(ConfigDuration.format(service.stallLimit)))",
            "",
            "[log]",
            "level = \(Self.quoted(log.level.rawValue))",
            "summary_interval = \(Self.quoted(ConfigDuration.format(log.summaryInterval)))",
        ]
        return out.joined(separator: "\n") + "\n"
    }

    /// `region` to `max_requests_per_minute` of `intercom`, as `[intercom]` and each workspace show them.
    static func renderedAPILines(_ intercom: Intercom) -> [String] {
        [
            "region = \(quoted(intercom.region.rawValue))",
            intercom.baseURL.map { "base_url = \(quoted(redacted($0)))" }
                ?? "# base_url is not set: \(intercom.region.baseURL.absoluteString), from region",
            "api_version = \(quoted(intercom.apiVersion))",
            "max_requests_per_minute = \(intercom.maxRequestsPerMinute)",
        ]
    }

    /// One workspace as a `[[workspace]]` with every setting resolved, and where it is defined.
    static func renderedLines(_ workspace: Workspace, configurationFile: String) -> [String] {
        let origin =
            workspace.file == configurationFile
            ? "a [[workspace]] on \(workspace.place)" : "from the workspace file \(workspace.place)"
        return [
            "[[workspace]]", "name = \(quoted(workspace.name))  # \(origin)",
            "access_token = \"***\"  # \(workspace.intercom.accessToken.source)",
        ]
            + renderedAPILines(workspace.intercom) + [
                "topics = \(list(workspace.triggers.topics.map(\.name)))",
                "start = \(quoted(workspace.triggers.start.description))",
                "ignore_fields = \(list(workspace.triggers.ignoreFields))",
                "interval = \(quoted(ConfigDuration.format(workspace.poll.interval)))",
                "lookback = \(quoted(ConfigDuration.format(workspace.poll.lookback)))",
            ]
    }

    static func secretLine(_ key: String, _ secret: Secret?, unset: String) -> String {
        guard let secret else { return "# \(key) is not set: \(unset)" }
        return "\(key) = \"***\"  # \(secret.source)"
    }

    /// `url` with its password and query values replaced by `***`.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "***" }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems, !items.isEmpty {
            components.queryItems = items.map { URLQueryItem(name: $0.name, value: $0.value == nil ? nil : "***") }
        }
        if components.fragment != nil { components.fragment = "***" }
        return components.string ?? "***"
    }

    static func list(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += String(format: "\\u%04X", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}
