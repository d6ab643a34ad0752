import Foundation
import TOMLKit

extension ConfigParser {
    typealias Workspace = DaemonConfiguration.Workspace

    /// At most this many workspaces in all, tables and files: what one daemon and one store are sized for.
    static let maxWorkspaces = 10_000

    /// A workspace file holds a dozen keys at most; a larger one is not one.
    static let workspaceFileLimit = 64 << 10

    /// The workspaces of the `[[workspace]]` tables and of the files in `workspaces_dir`, sorted by name; what one
    /// does not set comes from `defaults` (`[intercom]`, `[triggers]`, `[poll]`).
    mutating func workspaceList(_ root: TOMLTable, defaults: Workspace) throws(ConfigError) -> [Workspace] {
        var workspaces = try workspaceTables(root, defaults: defaults)
        if let directory = try workspacesDirectory(root) {
            let files = try workspaceFileNames(in: directory, besides: workspaces.count)
            var byName = Dictionary(workspaces.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for name in files {
                let workspace = try workspaceFile("\(directory)/\(name)", defaults: defaults)
                if let table = byName[workspace.name] {
                    throw ConfigError(
                        file: workspace.file, line: workspace.line,
                        problem: "the workspace \"\(workspace.name)\" is defined twice: by this file and by the "
                            + "[[workspace]] on \(table.place)",
                        fix: "keep one: remove this file, or that [[workspace]] table")
                }
                byName[workspace.name] = workspace
                workspaces.append(workspace)
            }
            if workspaces.isEmpty {
                throw error(
                    at: "workspaces_dir",
                    "no workspace to serve: \(directory) holds no .toml file and the file has no [[workspace]]",
                    fix: "add one file per workspace, NAME.toml (it may be empty: the workspace then takes "
                        + "[intercom], [triggers] and [poll] and the credential intercom-token-NAME), or a "
                        + "[[workspace]] table")
            }
        }
        warnAboutSharedTokens(workspaces)
        return workspaces.sorted { $0.name < $1.name }
    }

    /// `workspaces_dir`, resolved against the file's directory; nil when not set.
    func workspacesDirectory(_ root: TOMLTable) throws(ConfigError) -> String? {
        let top = Table(toml: root, path: "", section: "", label: "the top level")
        return try nonEmptyString(top, "workspaces_dir").map(resolvedPath)
    }

    /// The `[[workspace]]` tables in file order, their names unique.
    mutating func workspaceTables(_ root: TOMLTable, defaults: Workspace) throws(ConfigError) -> [Workspace] {
        let tables = try arrayOfTables("workspace", noun: "workspace", in: root)
        guard tables.count <= Self.maxWorkspaces else {
            throw error(
                at: "workspace", "the file has \(tables.count) [[workspace]] tables, more than \(Self.maxWorkspaces)",
                fix: Self.tooManyWorkspacesFix)
        }
        var workspaces: [Workspace] = []
        var lines: [String: Int] = [:]
        for table in tables {
            let workspace = try workspace(table, fileName: nil, defaults: defaults)
            if let earlier = lines[workspace.name] {
                throw error(
                    at: "\(table.path).name",
                    "workspace name \"\(workspace.name)\" is used twice (also on line \(earlier))",
                    fix: "give each [[workspace]] its own name")
            }
            lines[workspace.name] = workspace.line
            workspaces.append(workspace)
        }
        return workspaces
    }

    /// The names of the workspace files in `directory`, sorted: `*.toml`, hidden files left out. `tables`
    /// workspaces are defined besides them.
    func workspaceFileNames(in directory: String, besides tables: Int) throws(ConfigError) -> [String] {
        let names: [String]
        switch ConfigFileReader.names(inDirectory: directory) {
        case .success(let listed): names = listed
        case .failure(let failure) where failure.missing:
            throw error(
                at: "workspaces_dir", "workspaces_dir \(directory) does not exist",
                fix: "create it (mkdir \(directory)) with one NAME.toml file per workspace, or correct the path "
                    + "(a relative one is taken from this file's directory)")
        case .failure(let failure):
            throw error(
                at: "workspaces_dir", "cannot list workspaces_dir \(directory): \(failure.reason)",
                fix: "point it at a directory the service user can read and enter (chmod 750)")
        }
        let files = names.filter { !$0.hasPrefix(".") && $0.hasSuffix(".toml") }.sorted()
        guard files.count + tables <= Self.maxWorkspaces else {
            throw error(
                at: "workspaces_dir",
                "\(directory) holds \(files.count) workspace files, which with \(tables) [[workspace]] tables makes "
                    + "more than \(Self.maxWorkspaces) workspaces",
                fix: Self.tooManyWorkspacesFix)
        }
        return files
    }

    static let tooManyWorkspacesFix =
        "serve at most \(maxWorkspaces) workspaces with one daemon: split them among daemons, each with its own "
        + "configuration and store"

    /// The workspace of the file at `path` in `workspaces_dir`: its keys at the top level, its name the file's.
    /// Errors name that file; its relative paths are relative to its directory.
    mutating func workspaceFile(_ path: String, defaults: Workspace) throws(ConfigError) -> Workspace {
        let contents: ConfigFileReader.Contents
        switch ConfigFileReader.contents(of: path, limit: Self.workspaceFileLimit) {
        case .success(let read): contents = read
        case .failure(let failure):
            throw ConfigError(
                file: path, line: 0, problem: "cannot read the workspace file: \(failure.reason)",
                fix: "make it a regular file of at most \(Self.workspaceFileLimit >> 10) KiB that the service user "
                    + "can read, or remove it")
        }
        var parser = ConfigParser(
            text: contents.text, file: path, environment: environment, tokenRequired: tokenRequired)
        let root = try parser.document()
        let fileName = String(URL(fileURLWithPath: path).lastPathComponent.dropLast(".toml".count))
        let label = "the workspace file \(fileName).toml"
        // A table header would hide the keys below it from the workspace.
        if let key = root.keys.filter({ root[$0]?.table != nil || root[$0]?.array?.first?.table != nil })
            .min(by: { parser.tableLine($0) < parser.tableLine($1) })
        {
            throw ConfigError(
                file: path, line: parser.tableLine(key),
                problem: "\(label) has a table (\(key)), but holds one workspace's keys, without a table header",
                fix: "remove the header line and keep the keys at the top of the file; [intercom], [triggers] and "
                    + "the other tables belong in the configuration file")
        }
        let table = Table(toml: root, path: "", section: "workspace", label: label)
        let workspace = try parser.workspace(table, fileName: fileName, defaults: defaults)
        warnings += parser.warnings
        if let line = parser.inlineSecretLines.min(), contents.othersCanRead {
            warnings.append(Self.readableSecretWarning(path, line: line))
        }
        return workspace
    }

    /// The line of the table or array of tables `key` (a file's top-level key), 0 when not written as a header.
    private func tableLine(_ key: String) -> Int {
        max(map.line(of: key), map.line(of: "\(key)[0]"))
    }

    /// One workspace: a `[[workspace]]` table (`fileName` nil), or the top level of the workspace file
    /// `fileName.toml`, whose name is the file's.
    mutating func workspace(_ unnamed: Table, fileName: String?, defaults: Workspace) throws(ConfigError) -> Workspace {
        try checkKeys(unnamed)
        let written = try string(unnamed, "name")
        let nameFix =
            "lower-case letters, digits, '-' and '_', at most 63, starting with a letter or a digit: it names "
            + "metrics labels, command-line arguments and files"
        let name: String
        if let fileName {
            guard Workspace.isValidName(fileName) else {
                throw error(
                    at: "", "the file name \(fileName).toml does not make a workspace name",
                    fix: "rename the file to NAME.toml, NAME being \(nameFix)")
            }
            if let written, written != fileName {
                throw error(
                    at: "name", "name = \"\(written)\" is not the file's name, \(fileName)",
                    fix: "remove the name line (a workspace file's name is the workspace's), or rename the file to "
                        + "\(written).toml")
            }
            name = fileName
        } else {
            guard let written else {
                throw error(
                    at: unnamed.path, "\(unnamed.label) has no name",
                    fix: "add name = \"acme\", unique among the workspaces")
            }
            guard Workspace.isValidName(written) else {
                throw error(
                    at: path(unnamed, "name"), "workspace name \"\(written)\" is not a workspace name",
                    fix: "write name = \"acme\": \(nameFix)")
            }
            name = written
        }
        var table = unnamed
        table.label = fileName == nil ? "[[workspace]] \"\(name)\"" : "the workspace \"\(name)\""
        var intercom = defaults.intercom
        try readAPISettings(table, into: &intercom)
        intercom.accessToken = try accessToken(table, workspace: name)
        var triggers = defaults.triggers
        try readTriggerSettings(table, into: &triggers)
        var poll = defaults.poll
        try readPollSettings(table, into: &poll)
        if table.toml["interval"] != nil || table.toml["lookback"] != nil {
            warnIfLookbackIsShort(poll, table)
        }
        return Workspace(
            name: name, intercom: intercom, triggers: triggers, poll: poll, file: file,
            line: map.line(of: path(table, "name")))
    }

    /// Warns about two workspaces with the same token against the same host: one Intercom workspace polled twice,
    /// each of its events sent twice.
    mutating func warnAboutSharedTokens(_ workspaces: [Workspace]) {
        var first: [String: Workspace] = [:]
        for workspace in workspaces where !workspace.intercom.accessToken.value.isEmpty {
            let host = workspace.intercom.baseURL ?? workspace.intercom.region.baseURL
            let key = "\(host.absoluteString) \(workspace.intercom.accessToken.value)"
            guard let earlier = first[key] else {
                first[key] = workspace
                continue
            }
            warnings.append(
                ConfigWarning(
                    file: workspace.file, line: workspace.line,
                    problem: "the workspaces \"\(earlier.name)\" (\(earlier.place)) and \"\(workspace.name)\" have "
                        + "the same access token and API host: one Intercom workspace would be polled twice, and "
                        + "each of its events sent twice",
                    fix: "give each workspace the token of its own Intercom workspace, or remove one of them"))
        }
    }

    /// The `workspaces` of the destination `table` among `known`: each known, each once; nil when not set (all).
    func servedWorkspaces(_ table: Table, among known: [Workspace]) throws(ConfigError) -> Set<String>? {
        guard let names = try strings(table, "workspaces") else { return nil }
        let key = path(table, "workspaces")
        guard !names.isEmpty else {
            throw error(
                at: key, "`workspaces` in \(table.label) is empty, so it would receive nothing",
                fix: "list at least one workspace, or remove the line for all of them")
        }
        let all = known.map(\.name)
        let allNames = Set(all)
        var served: Set<String> = []
        for name in names {
            let line = map.line(of: key, literal: name)
            guard allNames.contains(name) else {
                let near = ConfigSchema.nearest(name, among: all).map { "did you mean \"\($0)\"? " } ?? ""
                let shown = all.prefix(20).joined(separator: ", ") + (all.count > 20 ? ", … (\(all.count) in all)" : "")
                throw ConfigError(
                    file: file, line: line, problem: "unknown workspace \"\(name)\" in \(table.label)",
                    fix: "\(near)known workspaces: \(shown)")
            }
            guard served.insert(name).inserted else {
                throw ConfigError(
                    file: file, line: line, problem: "workspace \"\(name)\" is listed twice in \(table.label)",
                    fix: "list it once")
            }
        }
        return served
    }

    /// The `ignore_fields` paths that every one of `workspaces` ignores (itself or through a path above it): a
    /// field under one of them never changes in the events of any of them.
    static func ignoredEverywhere(_ workspaces: [Workspace]) -> [String] {
        guard let first = workspaces.first else { return [] }
        if workspaces.allSatisfy({ $0.triggers.ignoreFields == first.triggers.ignoreFields }) {
            return first.triggers.ignoreFields
        }
        func covers(_ fields: [String], _ path: String) -> Bool {
            fields.contains { path == $0 || path.hasPrefix($0 + ".") }
        }
        var union: [String] = []
        for workspace in workspaces {
            for field in workspace.triggers.ignoreFields where !union.contains(field) { union.append(field) }
        }
        return union.filter { path in workspaces.allSatisfy { covers($0.triggers.ignoreFields, path) } }
    }

    /// The warning for a file holding a secret inline that group or others can read.
    static func readableSecretWarning(_ path: String, line: Int) -> ConfigWarning {
        ConfigWarning(
            file: path, line: line, problem: "the file holds a secret inline and is readable by group or others",
            fix: "chmod 600 \(path), or move the secret to a …_file key")
    }
}
