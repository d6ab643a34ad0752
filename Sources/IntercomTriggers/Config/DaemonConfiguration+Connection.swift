import Foundation

extension DaemonConfiguration {
    /// ``HTTPConnectionSettings`` as mirrors and descriptions show them: the proxy's password as `***`.
    public struct RedactedConnection: Sendable, CustomStringConvertible {
        public var caFile: String?
        public var clientCertificateFile: String?
        public var clientKeyFile: String?
        /// `environment`, `direct`, or the proxy URL with its password hidden.
        public var proxy: String

        public init(_ settings: HTTPConnectionSettings) {
            caFile = settings.caFile
            clientCertificateFile = settings.clientCertificateFile
            clientKeyFile = settings.clientKeyFile
            proxy = DaemonConfiguration.redacted(settings.proxy)
        }

        public var description: String {
            var parts: [String] = []
            if let caFile { parts.append("caFile: \(caFile)") }
            if let clientCertificateFile { parts.append("clientCertificateFile: \(clientCertificateFile)") }
            if let clientKeyFile { parts.append("clientKeyFile: \(clientKeyFile)") }
            parts.append("proxy: \(proxy)")
            return "(" + parts.joined(separator: ", ") + ")"
        }
    }

    /// `environment`, `direct`, or the proxy URL with its password as `***`.
    static func redacted(_ proxy: HTTPProxy) -> String {
        switch proxy {
        case .environment: "environment"
        case .direct: "direct"
        case .url(let text): redacted(proxyURL: text)
        }
    }

    /// The proxy URL `text` with its password as `***`; all of it when it is no `scheme://host` URL, since a
    /// password could not be told apart then.
    static func redacted(proxyURL text: String) -> String {
        guard var components = URLComponents(string: text), components.scheme != nil,
            let host = components.host, !host.isEmpty
        else { return "***" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "***"
    }

    /// The `check-config` lines of `connection`: its files, then the proxy. `clientCertificates`: a destination's.
    static func renderedLines(_ connection: HTTPConnectionSettings, clientCertificates: Bool) -> [String] {
        var lines = [
            connection.caFile.map { "ca_file = \(quoted($0))" } ?? "# ca_file is not set: the system CA store"
        ]
        if clientCertificates {
            if let certificate = connection.clientCertificateFile, let key = connection.clientKeyFile {
                lines += ["client_certificate_file = \(quoted(certificate))", "client_key_file = \(quoted(key))"]
            } else {
                lines.append("# client_certificate_file is not set: no client certificate")
            }
        }
        switch connection.proxy {
        case .environment:
            lines.append("# proxy is not set: HTTPS_PROXY, HTTP_PROXY and NO_PROXY from the environment")
        case .direct:
            lines.append("proxy = \"\"  # direct: the proxy environment variables are ignored")
        case .url(let text):
            lines.append("proxy = \(quoted(redacted(proxyURL: text)))  # NO_PROXY is ignored")
        }
        return lines
    }
}
