import Foundation

extension ConfigParser {
    /// The secret in `key` (inline) or `key_file` (read, trimmed), nil when neither is set. `webhook` secrets must be
    /// `whsec_` + base64 of 24–64 bytes. Error messages never include a secret.
    mutating func secret(_ table: Table, _ key: String, webhook: Bool) throws(ConfigError) -> Secret? {
        let fileKey = "\(key)_file"
        let inline = try string(table, key)
        let filePath = try nonEmptyString(table, fileKey)
        let secret: Secret
        let at: String
        switch (inline, filePath) {
        case (.some, .some):
            throw error(
                at: path(table, fileKey), "\(table.label) sets both \(key) and \(fileKey)",
                fix: "keep one (\(fileKey) keeps the secret out of this file)")
        case (.none, .none):
            return nil
        case (.some(let value), .none):
            at = path(table, key)
            inlineSecretLines.append(map.line(of: at))
            secret = Secret(value.trimmingCharacters(in: .whitespacesAndNewlines), source: .inline(key: key))
        case (.none, .some(let written)):
            at = path(table, fileKey)
            secret = Secret(
                try readSecretFile(resolvedPath(written), at: at, label: table.label),
                source: .file(path: resolvedPath(written)))
        }
        let origin = secret.source.description
        guard !secret.value.isEmpty else {
            throw error(at: at, "the \(key) of \(table.label) is empty (\(origin))", fix: "put the secret there")
        }
        if webhook && Secret.webhookKey(secret.value) == nil {
            throw error(
                at: at, "the \(key) of \(table.label) (\(origin)) is not whsec_ followed by base64 of 24–64 bytes",
                fix: "generate one: echo \"whsec_$(head -c 32 /dev/urandom | base64)\"")
        }
        if !webhook && secret.value.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } ?? false }) {
            throw error(
                at: at, "the \(key) of \(table.label) (\(origin)) contains whitespace",
                fix: "write the secret on a single line, nothing else")
        }
        return secret
    }

    /// The access token of `table`: `access_token_file`, `access_token`, `$INTERCOM_ACCESS_TOKEN`, then the systemd
    /// credential `$CREDENTIALS_DIRECTORY/intercom-token`, the first that is set. For the workspace `workspace`
    /// (a `[[workspace]]` table or file): `access_token_file`, `access_token`, then the credential
    /// `intercom-token-NAME`; the environment variable is the single workspace's only.
    mutating func accessToken(_ table: Table, workspace: String? = nil) throws(ConfigError) -> Secret {
        let credentialName = workspace.map { "intercom-token-\($0)" } ?? "intercom-token"
        let fix =
            workspace.map {
                "set access_token_file = \"/etc/intercom-triggerd/tokens/\($0)\" in \(table.label), or "
                    + "LoadCredential=\(credentialName):/path in the unit"
            }
            ?? "set access_token_file = \"/etc/intercom-triggerd/token\" in [intercom], or "
            + "INTERCOM_ACCESS_TOKEN, or LoadCredential=intercom-token:/path in the unit"
        let inline = try string(table, "access_token")
        let filePath = try nonEmptyString(table, "access_token_file")
        let token: Secret
        var at = path(table, "access_token")
        if inline != nil && filePath != nil {
            throw error(
                at: path(table, "access_token_file"), "\(table.label) sets both access_token and access_token_file",
                fix: "keep one (access_token_file keeps the token out of this file)")
        } else if let written = filePath {
            at = path(table, "access_token_file")
            let resolved = resolvedPath(written)
            let value: String
            do {
                value = try readSecretFile(resolved, at: at, label: table.label)
            } catch {
                // The store-only commands need no token: one they cannot read (a path only the service's mount
                // namespace holds, a root-squashed mount) is as good as none.
                guard tokenRequired else { return Secret("", source: .absent) }
                throw error
            }
            token = Secret(value, source: .file(path: resolved))
        } else if let inline {
            inlineSecretLines.append(map.line(of: at))
            token = Secret(inline.trimmingCharacters(in: .whitespacesAndNewlines), source: .inline(key: "access_token"))
        } else if workspace == nil, let variable = environment["INTERCOM_ACCESS_TOKEN"], !variable.isEmpty {
            at = ""
            token = Secret(
                variable.trimmingCharacters(in: .whitespacesAndNewlines),
                source: .environment(name: "INTERCOM_ACCESS_TOKEN"))
        } else if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty,
            FileManager.default.fileExists(atPath: "\(directory)/\(credentialName)")
        {
            at = workspace == nil ? "" : path(table, "name")
            let credential = "\(directory)/\(credentialName)"
            switch ConfigFileReader.contents(of: credential, limit: 65_536) {
            case .success(let contents):
                token = Secret(
                    contents.text.trimmingCharacters(in: .whitespacesAndNewlines), source: .credential(path: credential)
                )
            case .failure where !tokenRequired:
                return Secret("", source: .absent)
            case .failure(let failure):
                throw error(
                    at: at, "cannot read the systemd credential \(credential): \(failure.reason)",
                    fix: "check LoadCredential=\(credentialName):… in the unit")
            }
        } else if !tokenRequired {
            return Secret("", source: .absent)
        } else {
            throw error(
                at: workspace == nil ? "intercom" : path(table, "name"),
                "no Intercom access token" + (workspace.map { " for the workspace \"\($0)\"" } ?? ""), fix: fix)
        }
        let origin = token.source.description
        let whose =
            workspace.map { "the Intercom access token of the workspace \"\($0)\"" } ?? "the Intercom access token"
        guard !token.value.isEmpty else {
            throw error(at: at, "\(whose) is empty (\(origin))", fix: "put the token there")
        }
        guard !token.value.contains(where: { $0.isWhitespace || ($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) })
        else {
            throw error(
                at: at, "\(whose) (\(origin)) contains whitespace or control characters",
                fix: "write the token on a single line, nothing else")
        }
        return token
    }

    /// With workspaces, `[intercom]` holds no token: it would be unclear which workspace it is for.
    func refuseSharedToken(_ table: Table) throws(ConfigError) {
        guard
            let key = ["access_token", "access_token_file"].filter({ table.toml[$0] != nil })
                .min(by: { map.line(of: path(table, $0)) < map.line(of: path(table, $1)) })
        else { return }
        throw error(
            at: path(table, key),
            "[intercom] sets \(key), but the file defines workspaces ([[workspace]] or workspaces_dir), and each "
                + "has its own token",
            fix: "move it into each [[workspace]] (or workspace file) as access_token_file = \"…\", or give each "
                + "workspace the systemd credential intercom-token-NAME; [intercom] keeps what they share")
    }

    /// The trimmed contents of the secret file at `path`; warns when group or others may read it.
    mutating func readSecretFile(_ path: String, at key: String, label: String) throws(ConfigError) -> String {
        switch ConfigFileReader.contents(of: path, limit: 65_536) {
        case .success(let contents):
            if contents.othersCanRead {
                warn(
                    at: key, "the secret file \(path) of \(label) is readable by group or others",
                    fix: "chmod 600 \(path)")
            }
            return contents.text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .failure(let failure):
            throw error(
                at: key, "cannot read the secret file \(path) of \(label): \(failure.reason)",
                fix: "check the path, and that the service user can read it (owned by it, chmod 600)")
        }
    }
}
