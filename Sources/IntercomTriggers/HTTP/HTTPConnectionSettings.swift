/// How a request reaches its server: whom to trust, who we are, and through which proxy. Configured under
/// `[intercom]` and per webhook destination (`ca_file`, `client_certificate_file`, `client_key_file`,
/// `proxy`); the default trusts the system CA store, presents no certificate and honours the proxy
/// environment variables.
public struct HTTPConnectionSettings: Sendable, Hashable {
    /// A PEM file of CA certificates trusted instead of the system store (a private CA).
    public var caFile: String?
    /// A PEM client certificate presented to receivers that require mutual TLS.
    public var clientCertificateFile: String?
    /// The PEM private key of ``clientCertificateFile``.
    public var clientKeyFile: String?
    /// The proxy requests go through.
    public var proxy: HTTPProxy

    public init(
        caFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil,
        proxy: HTTPProxy = .environment
    ) {
        self.caFile = caFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.proxy = proxy
    }
}
