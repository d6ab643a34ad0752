import Foundation

extension ConfigParser {
    /// The keys that say how requests reach a server; a stdout destination takes none of them.
    static let connectionKeys = ["ca_file", "client_certificate_file", "client_key_file", "proxy"]

    /// The schemes libcurl takes for a proxy (`socks5h` resolves host names on the proxy).
    static let proxySchemes = ["http", "https", "socks5", "socks5h"]

    /// What a TLS file must hold.
    enum PEMContent {
        /// A CA bundle: one certificate or more.
        case certificates
        /// A client certificate.
        case certificate
        /// The client certificate's private key, unencrypted.
        case privateKey
    }

    /// How much of a TLS file is read to check it: enough to reach the first certificate of any real bundle.
    static let pemCheckLimit = 256 << 10

    /// `ca_file`, `client_certificate_file` / `client_key_file` (when `clientCertificates`: destinations) and
    /// `proxy` of `table`. The files are opened now, so that a wrong path stops the start (or the reload) with
    /// its line instead of failing every request later. `plainHTTP`: the URL is http, where TLS files do nothing.
    mutating func connectionSettings(
        _ table: Table, clientCertificates: Bool, plainHTTP: Bool
    ) throws(ConfigError) -> HTTPConnectionSettings {
        var settings = HTTPConnectionSettings()
        let caFile = try nonEmptyString(table, "ca_file")
        var certificate: String?
        var key: String?
        if clientCertificates {
            certificate = try nonEmptyString(table, "client_certificate_file")
            key = try nonEmptyString(table, "client_key_file")
            switch (certificate, key) {
            case (.some, .none):
                throw error(
                    at: path(table, "client_certificate_file"),
                    "\(table.label) sets client_certificate_file but not client_key_file",
                    fix: "add client_key_file = \(ConfigSchema.example("client_key_file", in: table.section)) "
                        + "(the certificate's private key), or remove client_certificate_file")
            case (.none, .some):
                throw error(
                    at: path(table, "client_key_file"),
                    "\(table.label) sets client_key_file but not client_certificate_file",
                    fix: "add client_certificate_file = "
                        + "\(ConfigSchema.example("client_certificate_file", in: table.section)), "
                        + "or remove client_key_file")
            default:
                break
            }
        }
        if let caFile {
            settings.caFile = try checkedFile(table, "ca_file", caFile, holding: .certificates)
        }
        if let certificate, let key {
            settings.clientCertificateFile = try checkedFile(
                table, "client_certificate_file", certificate, holding: .certificate)
            settings.clientKeyFile = try checkedFile(table, "client_key_file", key, holding: .privateKey)
        }
        if plainHTTP {
            for key in ["ca_file", "client_certificate_file", "client_key_file"] where table.toml[key] != nil {
                warn(
                    at: path(table, key), "`\(key)` in \(table.label) has no effect: its URL is plain http",
                    fix: "remove \(key), or use an https:// URL")
            }
        }
        settings.proxy = try proxy(table)
        return settings
    }

    /// `proxy`: absent is the environment's, `""` is direct, anything else a proxy URL
    /// `scheme://[user:password@]host:port`. Errors never repeat the value, which may hold a password.
    mutating func proxy(_ table: Table) throws(ConfigError) -> HTTPProxy {
        guard let text = try string(table, "proxy") else { return .environment }
        guard !text.isEmpty else { return .direct }
        let at = path(table, "proxy")
        let example = ConfigSchema.example("proxy", in: table.section)
        let schemes = Self.proxySchemes.joined(separator: ", ")
        let printable = text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
        guard printable, text.contains("://"), let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased()
        else {
            throw error(
                at: at, "`proxy` in \(table.label) is not a URL scheme://host:port",
                fix: "write proxy = \(example) (schemes: \(schemes)), or proxy = \"\" for no proxy")
        }
        guard Self.proxySchemes.contains(scheme) else {
            throw error(
                at: at, "`proxy` in \(table.label) has the scheme \(scheme), which is not a proxy's",
                fix: "write proxy = \(example) (schemes: \(schemes))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw error(at: at, "`proxy` in \(table.label) has no host", fix: "write proxy = \(example)")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil
        else {
            throw error(
                at: at, "`proxy` in \(table.label) has a path, query or fragment, which a proxy URL cannot have",
                fix: "write only scheme://[user:password@]host:port, as in proxy = \(example)")
        }
        guard let port = components.port else {
            throw error(
                at: at, "`proxy` in \(table.label) has no port",
                fix: "add the proxy's port, as in proxy = \(example) (libcurl would otherwise guess one)")
        }
        guard (1...65_535).contains(port) else {
            throw error(
                at: at, "`proxy` in \(table.label) has the port \(port), outside 1…65535",
                fix: "write proxy = \(example)")
        }
        if components.password != nil {
            // A password written inline: the load warns when others can read the file.
            inlineSecretLines.append(map.line(of: at))
        }
        return .url(text)
    }

    /// The absolute path of `written` (`key` of `table`), after checking that this process can read it and that
    /// it holds `content` in PEM. The file stays where it is: libcurl reads it when it connects.
    mutating func checkedFile(
        _ table: Table, _ key: String, _ written: String, holding content: PEMContent
    ) throws(ConfigError) -> String {
        let resolved = resolvedPath(written)
        let at = path(table, key)
        let head: ConfigFileReader.Head
        switch ConfigFileReader.head(of: resolved, limit: Self.pemCheckLimit) {
        case .success(let read): head = read
        case .failure(let failure):
            throw error(
                at: at, "cannot read the \(key) \(resolved) of \(table.label): \(failure.reason)",
                fix: "check the path, and that the service user can read it")
        }
        switch content {
        case .certificates, .certificate:
            guard head.contains("-----BEGIN CERTIFICATE-----") || head.contains("-----BEGIN TRUSTED CERTIFICATE-----")
            else {
                let what = content == .certificates ? "the CA certificates" : "the client certificate"
                throw error(
                    at: at, "the \(key) \(resolved) of \(table.label) holds no PEM certificate",
                    fix: "give a PEM file of \(what) (-----BEGIN CERTIFICATE-----); convert a DER one with "
                        + "openssl x509 -inform der -in FILE.der -out FILE.pem")
            }
        case .privateKey:
            guard head.contains("-----BEGIN "), head.contains("PRIVATE KEY-----") else {
                throw error(
                    at: at, "the \(key) \(resolved) of \(table.label) holds no PEM private key",
                    fix: "give the client certificate's private key in PEM (-----BEGIN PRIVATE KEY-----)")
            }
            if head.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || head.contains("Proc-Type: 4,ENCRYPTED") {
                throw error(
                    at: at, "the \(key) \(resolved) of \(table.label) is encrypted, and the daemon has no passphrase",
                    fix: "store it decrypted, readable by the service user only: "
                        + "openssl pkey -in KEY -out \(resolved) && chmod 600 \(resolved)")
            }
            if head.othersCanRead {
                warn(
                    at: at, "the \(key) \(resolved) of \(table.label) is readable by group or others",
                    fix: "chmod 600 \(resolved)")
            }
        }
        return resolved
    }
}
