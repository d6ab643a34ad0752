import Foundation
import Testing

@testable import IntercomTriggers

/// `ca_file`, `client_certificate_file` / `client_key_file` and `proxy`, under `[intercom]` and per destination:
/// what is accepted, what is refused (with its line and fix), and that proxy passwords are never shown.
@Suite struct ConfigConnectionTests {
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    static let key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
    static let password = "hunter2proxy"

    /// The TLS files every test may point at.
    static func writeFiles(_ fixture: ConfigFixture) throws {
        try fixture.write("ca.pem", "# private CA\n" + pem + pem, mode: 0o644)
        try fixture.write("client.crt", pem, mode: 0o644)
        try fixture.write("client.key", key)
        try fixture.write("rsa.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n")
        try fixture.write("ca.der", "0\u{82}\u{01}\u{0A}0\u{81}")
        try fixture.write("encrypted.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n")
        try fixture.write("legacy-encrypted.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n")
        try FileManager.default.createDirectory(atPath: "\(fixture.directory)/dir", withIntermediateDirectories: true)
    }

    /// A webhook destination named crm (lines 1–4), then `extra`.
    static func hook(_ extra: String, url: String = "https://hooks.example.com/x") -> String {
        "[[destination]]\nname = \"crm\"\nurl = \"\(url)\"\nunsigned = true\n" + extra
    }

    static func webhook(_ configuration: DaemonConfiguration) -> DaemonConfiguration.Destination.Webhook? {
        guard case .webhook(let webhook) = configuration.destinations.first?.kind else { return nil }
        return webhook
    }

    // MARK: Accepted

    struct Accepted: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        /// `{dir}` stands for the fixture directory.
        var intercom: HTTPConnectionSettings
        var destination: HTTPConnectionSettings?
        var testDescription: String { name }
    }

    static let accepted: [Accepted] =
        [
            Accepted(
                name: "nothing set", text: hook(""), intercom: HTTPConnectionSettings(),
                destination: HTTPConnectionSettings()),
            Accepted(
                name: "[intercom] ca_file, absolute", text: "[intercom]\nca_file = \"{dir}/ca.pem\"\n",
                intercom: HTTPConnectionSettings(caFile: "{dir}/ca.pem")),
            Accepted(
                name: "[intercom] ca_file, relative to the file", text: "[intercom]\nca_file = \"ca.pem\"\n",
                intercom: HTTPConnectionSettings(caFile: "{dir}/ca.pem")),
            Accepted(
                name: "destination ca_file", text: hook("ca_file = \"ca.pem\"\n"), intercom: HTTPConnectionSettings(),
                destination: HTTPConnectionSettings(caFile: "{dir}/ca.pem")),
            Accepted(
                name: "mutual TLS",
                text: hook("client_certificate_file = \"{dir}/client.crt\"\nclient_key_file = \"client.key\"\n"),
                intercom: HTTPConnectionSettings(),
                destination: HTTPConnectionSettings(
                    clientCertificateFile: "{dir}/client.crt", clientKeyFile: "{dir}/client.key")),
            Accepted(
                name: "mutual TLS with an RSA key and a private CA",
                text: hook(
                    "ca_file = \"ca.pem\"\nclient_certificate_file = \"client.crt\"\nclient_key_file = \"rsa.key\"\n"),
                intercom: HTTPConnectionSettings(),
                destination: HTTPConnectionSettings(
                    caFile: "{dir}/ca.pem", clientCertificateFile: "{dir}/client.crt", clientKeyFile: "{dir}/rsa.key")),
            Accepted(
                name: "[intercom] proxy = \"\" is direct", text: "[intercom]\nproxy = \"\"\n",
                intercom: HTTPConnectionSettings(proxy: .direct)),
            Accepted(
                name: "destination proxy = \"\" is direct", text: hook("proxy = \"\"\n"),
                intercom: HTTPConnectionSettings(), destination: HTTPConnectionSettings(proxy: .direct)),
            Accepted(
                name: "destination and [intercom] proxies differ",
                text: "[intercom]\nproxy = \"http://a.example.com:3128\"\n"
                    + hook("proxy = \"https://b.example.com:443\"\n"),
                intercom: HTTPConnectionSettings(proxy: .url("http://a.example.com:3128")),
                destination: HTTPConnectionSettings(proxy: .url("https://b.example.com:443"))),
        ]
        + [
            "http://proxy.example.com:3128", "http://proxy.example.com:3128/", "http://user:\(password)@proxy:3128",
            "http://user@proxy:3128", "https://proxy.example.com:8443", "socks5://127.0.0.1:1080",
            "socks5h://proxy.internal:1080", "HTTP://Proxy.Example.com:8080", "http://[::1]:3128",
            "http://10.0.0.1:65535",
        ].map { url in
            Accepted(
                name: "proxy \(url)", text: "[intercom]\nproxy = \"\(url)\"\n" + hook("proxy = \"\(url)\"\n"),
                intercom: HTTPConnectionSettings(proxy: .url(url)),
                destination: HTTPConnectionSettings(proxy: .url(url)))
        }

    static func resolved(_ settings: HTTPConnectionSettings, _ directory: String) -> HTTPConnectionSettings {
        func fill(_ path: String?) -> String? { path?.replacingOccurrences(of: "{dir}", with: directory) }
        return HTTPConnectionSettings(
            caFile: fill(settings.caFile), clientCertificateFile: fill(settings.clientCertificateFile),
            clientKeyFile: fill(settings.clientKeyFile), proxy: settings.proxy)
    }

    @Test(arguments: accepted)
    func accepts(_ accepted: Accepted) throws {
        try ConfigFixture.with { fixture in
            try Self.writeFiles(fixture)
            let configuration = try fixture.parse(accepted.text)
            #expect(configuration.intercom.connection == Self.resolved(accepted.intercom, fixture.directory))
            #expect(configuration.intercom.clientConfiguration.connection == configuration.intercom.connection)
            if let destination = accepted.destination {
                #expect(Self.webhook(configuration)?.connection == Self.resolved(destination, fixture.directory))
            }
            #expect(configuration.warnings.isEmpty, "\(configuration.warnings)")
        }
    }

    // MARK: Refused

    struct Refused: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var problem: String
        /// Words the fix must contain.
        var fix: String
        var testDescription: String { name }
    }

    static let refused: [Refused] = [
        // Files.
        Refused(
            name: "[intercom] ca_file missing", text: "[intercom]\nregion = \"eu\"\nca_file = \"{dir}/nope.pem\"\n",
            line: 3, problem: "cannot read the ca_file {dir}/nope.pem of [intercom]: No such file",
            fix: "check the path"),
        Refused(
            name: "destination ca_file missing", text: hook("ca_file = \"nope.pem\"\n"), line: 5,
            problem: "cannot read the ca_file {dir}/nope.pem of [[destination]] \"crm\"", fix: "check the path"),
        Refused(
            name: "ca_file a directory", text: hook("ca_file = \"dir\"\n"), line: 5, problem: "not a regular file",
            fix: "check the path"),
        Refused(
            name: "ca_file in DER", text: "[intercom]\nca_file = \"ca.der\"\n", line: 2,
            problem: "holds no PEM certificate", fix: "openssl x509 -inform der"),
        Refused(
            name: "client certificate missing",
            text: hook("client_certificate_file = \"nope.crt\"\nclient_key_file = \"client.key\"\n"), line: 5,
            problem: "cannot read the client_certificate_file", fix: "check the path"),
        Refused(
            name: "client certificate is a key",
            text: hook("client_certificate_file = \"client.key\"\nclient_key_file = \"client.key\"\n"), line: 5,
            problem: "holds no PEM certificate", fix: "the client certificate"),
        Refused(
            name: "client key missing",
            text: hook("client_certificate_file = \"client.crt\"\n\nclient_key_file = \"nope.key\"\n"), line: 7,
            problem: "cannot read the client_key_file", fix: "check the path"),
        Refused(
            name: "client key is a certificate",
            text: hook("client_certificate_file = \"client.crt\"\nclient_key_file = \"client.crt\"\n"), line: 6,
            problem: "holds no PEM private key", fix: "BEGIN PRIVATE KEY"),
        Refused(
            name: "client key encrypted (PKCS#8)",
            text: hook("client_certificate_file = \"client.crt\"\nclient_key_file = \"encrypted.key\"\n"), line: 6,
            problem: "is encrypted", fix: "openssl pkey"),
        Refused(
            name: "client key encrypted (traditional)",
            text: hook("client_certificate_file = \"client.crt\"\nclient_key_file = \"legacy-encrypted.key\"\n"),
            line: 6, problem: "is encrypted", fix: "openssl pkey"),

        // Pairs.
        Refused(
            name: "certificate without key", text: hook("client_certificate_file = \"client.crt\"\n"), line: 5,
            problem: "sets client_certificate_file but not client_key_file", fix: "add client_key_file ="),
        Refused(
            name: "key without certificate", text: hook("ca_file = \"ca.pem\"\nclient_key_file = \"client.key\"\n"),
            line: 6, problem: "sets client_key_file but not client_certificate_file",
            fix: "add client_certificate_file ="),
        Refused(
            name: "a missing certificate's pair is named before its file is read",
            text: hook("client_certificate_file = \"nope.crt\"\n"), line: 5, problem: "but not client_key_file",
            fix: "client_key_file"),

        // Where the keys may be.
        Refused(
            name: "client certificate under [intercom]",
            text: "[intercom]\nclient_certificate_file = \"client.crt\"\n", line: 2,
            problem: "unknown key `client_certificate_file` in [intercom]", fix: "move it under [[destination]]"),
        Refused(
            name: "ca_file under [poll]", text: "[poll]\nca_file = \"ca.pem\"\n", line: 2,
            problem: "unknown key `ca_file` in [poll]", fix: "move it under [intercom]"),
        Refused(
            name: "proxy misspelt", text: hook("proxi = \"\"\n"), line: 5, problem: "unknown key `proxi`",
            fix: "did you mean `proxy`?"),
        Refused(
            name: "ca_file on stdout", text: "[[destination]]\nname = \"out\"\nstdout = true\nca_file = \"ca.pem\"\n",
            line: 4, problem: "writes to stdout, which makes no HTTP request, but sets `ca_file`",
            fix: "remove ca_file"),
        Refused(
            name: "client files on stdout",
            text: "[[destination]]\nname = \"out\"\nstdout = true\nclient_key_file = \"client.key\"\n"
                + "client_certificate_file = \"client.crt\"\n",
            line: 4, problem: "but sets `client_key_file`", fix: "remove client_key_file"),
        Refused(
            name: "proxy on stdout", text: "[[destination]]\nname = \"out\"\nstdout = true\nproxy = \"\"\n", line: 4,
            problem: "but sets `proxy`", fix: "remove proxy"),

        // Types.
        Refused(
            name: "ca_file not a string", text: "[intercom]\nca_file = true\n", line: 2,
            problem: "`ca_file` in [intercom] must be a string",
            fix: "write ca_file = \"/etc/intercom-triggerd/ca.pem\""),
        Refused(
            name: "ca_file empty", text: hook("ca_file = \"\"\n"), line: 5,
            problem: "`ca_file` in [[destination]] \"crm\" is empty",
            fix: "or remove the line"),
        Refused(
            name: "client key an array",
            text: hook("client_certificate_file = \"client.crt\"\nclient_key_file = [\"client.key\"]\n"), line: 6,
            problem: "must be a string", fix: "client_key_file = \"/etc/intercom-triggerd/crm.key\""),
        Refused(
            name: "proxy a number", text: "[intercom]\nproxy = 3128\n", line: 2,
            problem: "`proxy` in [intercom] must be a string", fix: "write proxy = \"http://proxy.example.com:3128\""),
        Refused(
            name: "proxy false", text: hook("proxy = false\n"), line: 5, problem: "must be a string", fix: "proxy ="),

        // Proxy URLs.
        Refused(
            name: "proxy without a scheme", text: "[intercom]\nproxy = \"proxy.example.com:3128\"\n", line: 2,
            problem: "is not a URL scheme://host:port", fix: "proxy = \"\" for no proxy"),
        Refused(
            name: "proxy with a space", text: hook("proxy = \"http://proxy .example.com:3128\"\n"), line: 5,
            problem: "is not a URL", fix: "schemes: http, https, socks5, socks5h"),
        Refused(
            name: "proxy with a newline", text: hook("proxy = \"http://proxy:3128\\n\"\n"), line: 5,
            problem: "is not a URL", fix: "proxy ="),
        Refused(
            name: "proxy with an ftp scheme", text: "[intercom]\nproxy = \"ftp://proxy.example.com:21\"\n", line: 2,
            problem: "has the scheme ftp", fix: "schemes: http, https, socks5"),
        Refused(
            name: "proxy with a socks4 scheme", text: hook("proxy = \"socks4://proxy:1080\"\n"), line: 5,
            problem: "has the scheme socks4", fix: "socks5"),
        Refused(
            name: "proxy without a host", text: "[intercom]\nproxy = \"http://:3128\"\n", line: 2,
            problem: "has no host", fix: "proxy = \"http://proxy.example.com:3128\""),
        Refused(
            name: "proxy with a path", text: hook("proxy = \"http://proxy.example.com:3128/squid\"\n"), line: 5,
            problem: "has a path, query or fragment", fix: "only scheme://[user:password@]host:port"),
        Refused(
            name: "proxy with a query", text: "[intercom]\nproxy = \"http://proxy.example.com:3128?x=1\"\n", line: 2,
            problem: "has a path, query or fragment", fix: "host:port"),
        Refused(
            name: "proxy with a fragment", text: "[intercom]\nproxy = \"http://proxy.example.com:3128#a\"\n",
            line: 2, problem: "has a path, query or fragment", fix: "host:port"),
        Refused(
            name: "proxy without a port", text: hook("proxy = \"http://proxy.example.com\"\n"), line: 5,
            problem: "has no port", fix: "add the proxy's port"),
        Refused(
            name: "proxy with port 0", text: "[intercom]\nproxy = \"http://proxy:0\"\n", line: 2,
            problem: "the port 0, outside 1…65535", fix: "proxy ="),
        Refused(
            name: "proxy with port 70000", text: "[intercom]\nproxy = \"http://proxy:70000\"\n", line: 2,
            problem: "outside 1…65535", fix: "proxy ="),
        Refused(
            name: "proxy with a password and a path",
            text: hook("proxy = \"http://user:\(password)@proxy.example.com:3128/x\"\n"), line: 5,
            problem: "has a path", fix: "host:port"),
        Refused(
            name: "proxy with a password and no port",
            text: "[intercom]\nproxy = \"http://user:\(password)@proxy.example.com\"\n", line: 2,
            problem: "has no port", fix: "port"),
    ]

    @Test(arguments: refused)
    func refuses(_ refused: Refused) throws {
        try ConfigFixture.with { fixture in
            try Self.writeFiles(fixture)
            guard let error = fixture.refusal(refused.text) else {
                Issue.record("accepted: \(refused.name)")
                return
            }
            let problem = refused.problem.replacingOccurrences(of: "{dir}", with: fixture.directory)
            #expect(error.file == fixture.file)
            #expect(error.line == refused.line, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
            #expect(error.fix.contains(refused.fix), "\(error)")
            #expect(error.description == "\(fixture.file):\(refused.line): \(error.problem) (fix: \(error.fix))")
            #expect(!error.description.contains("\n"))
            // A proxy's password never appears in the message.
            #expect(!error.description.contains(Self.password), "\(error)")
        }
    }

    @Test func theExitCodeIsEXConfig() {
        #expect(ConfigError.exitCode == 78)
    }

    // MARK: Warnings

    @Test func aClientKeyOthersCanReadIsAcceptedWithAWarning() throws {
        try ConfigFixture.with { fixture in
            try Self.writeFiles(fixture)
            try fixture.write("open.key", Self.key, mode: 0o644)
            let configuration = try fixture.parse(
                Self.hook("client_certificate_file = \"client.crt\"\nclient_key_file = \"open.key\"\n"))
            #expect(Self.webhook(configuration)?.connection.clientKeyFile == "\(fixture.directory)/open.key")
            #expect(configuration.warnings.count == 1)
            #expect(configuration.warnings.first?.line == 6)
            #expect(configuration.warnings.first?.problem.contains("readable by group or others") == true)
            #expect(configuration.warnings.first?.fix == "chmod 600 \(fixture.directory)/open.key")
        }
    }

    @Test func tlsFilesOnPlainHTTPAreAcceptedWithAWarning() throws {
        try ConfigFixture.with { fixture in
            try Self.writeFiles(fixture)
            let configuration = try fixture.parse(
                "[intercom]\nbase_url = \"http://127.0.0.1:4010\"\nca_file = \"ca.pem\"\n"
                    + Self.hook("ca_file = \"ca.pem\"\n", url: "http://127.0.0.1:9000/hook"))
            #expect(configuration.warnings.map(\.line) == [3, 8])
            #expect(configuration.warnings.allSatisfy { $0.problem.contains("has no effect: its URL is plain http") })
        }
    }

    @Test func aProxyPasswordInAFileOthersCanReadIsWarnedAbout() throws {
        try ConfigFixture.with { fixture in
            let text = "[intercom]\n\nproxy = \"http://user:\(Self.password)@proxy:3128\"\n"
            let path = try fixture.write("daemon.conf", text, mode: 0o644)
            let configuration = try DaemonConfiguration.load(
                path: path, environment: ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token])
            #expect(configuration.warnings.map(\.line) == [3])
            #expect(configuration.warnings.first?.problem.contains("secret inline") == true)
            #expect(!configuration.warnings.map(\.description).joined().contains(Self.password))
            try fixture.write("daemon.conf", text, mode: 0o600)
            #expect(
                try DaemonConfiguration.load(path: path, environment: ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token])
                    .warnings.isEmpty)
        }
    }

    // MARK: Rendering and mirrors

    static func redactionConfiguration(_ fixture: ConfigFixture) throws -> DaemonConfiguration {
        try writeFiles(fixture)
        return try fixture.parse(
            """
            [intercom]
            ca_file = "ca.pem"
            proxy = "http://alice:\(password)@proxy.example.com:3128"

            [[destination]]
            name = "crm"
            url = "https://hooks.example.com/x"
            unsigned = true
            ca_file = "ca.pem"
            client_certificate_file = "client.crt"
            client_key_file = "client.key"
            proxy = "socks5h://bob:\(password)@socks.example.com:1080"

            [[destination]]
            name = "direct"
            url = "https://hooks.example.com/y"
            unsigned = true
            proxy = ""

            [[destination]]
            name = "plain"
            url = "https://hooks.example.com/z"
            unsigned = true
            """)
    }

    @Test func checkConfigShowsTheSettingsWithoutThePassword() throws {
        try ConfigFixture.with { fixture in
            let text = try Self.redactionConfiguration(fixture).render()
            let dir = fixture.directory
            #expect(!text.contains(Self.password))
            #expect(
                text.contains(
                    """
                    max_requests_per_minute = 1000
                    ca_file = "\(dir)/ca.pem"
                    proxy = "http://alice:***@proxy.example.com:3128"  # NO_PROXY is ignored

                    [poll]
                    """))
            #expect(
                text.contains(
                    """
                    ca_file = "\(dir)/ca.pem"
                    client_certificate_file = "\(dir)/client.crt"
                    client_key_file = "\(dir)/client.key"
                    proxy = "socks5h://bob:***@socks.example.com:1080"  # NO_PROXY is ignored
                    topics =
                    """))
            #expect(text.contains("proxy = \"\"  # direct: the proxy environment variables are ignored"))
            #expect(
                text.contains(
                    """
                    # ca_file is not set: the system CA store
                    # client_certificate_file is not set: no client certificate
                    # proxy is not set: HTTPS_PROXY, HTTP_PROXY and NO_PROXY from the environment
                    """))
        }
    }

    @Test func mirrorsAndDescriptionsHideTheProxyPassword() throws {
        try ConfigFixture.with { fixture in
            let configuration = try Self.redactionConfiguration(fixture)
            let client = configuration.intercom.clientConfiguration
            var texts = [
                configuration.render(), String(describing: configuration), String(reflecting: configuration),
                String(describing: configuration.intercom), String(reflecting: configuration.destinations),
                client.description, client.debugDescription, String(reflecting: client), "\(client)",
            ]
            for subject in [configuration as Any, configuration.intercom, configuration.destinations, client] {
                var dumped = ""
                dump(subject, to: &dumped)
                texts.append(dumped)
            }
            for text in texts {
                #expect(!text.contains(Self.password), "\(text)")
            }
            var dumped = ""
            dump(configuration.destinations, to: &dumped)
            #expect(dumped.contains("socks5h://bob:***@socks.example.com:1080"))
            #expect(dumped.contains("\(fixture.directory)/client.key"))
            #expect(client.description.contains("proxy: http://alice:***@proxy.example.com:3128"))
            // The password is there for the transport.
            #expect(client.connection.proxy == .url("http://alice:\(Self.password)@proxy.example.com:3128"))
        }
    }

    @Test(arguments: [
        (HTTPProxy.environment, "environment"), (.direct, "direct"), (.url("http://h:1"), "http://h:1"),
        (.url("http://u:p@h:1"), "http://u:***@h:1"), (.url("http://u:@h:1"), "http://u:***@h:1"),
        (.url("http://u@h:1"), "http://u@h:1"), (.url("https://u:p%40ss@h:443"), "https://u:***@h:443"),
        (.url("http://u:p@ss@h:1"), "http://u:***@h:1"), (.url("not a url \(password)"), "***"),
        (.url("u:\(password)@h:1"), "***"), (.url("http:/u:\(password)@h:1"), "***"),
    ])
    func proxiesAreRedacted(_ proxy: HTTPProxy, _ shown: String) {
        #expect(DaemonConfiguration.redacted(proxy) == shown)
    }

    @Test func renderedConnectionSettingsParseBackToTheSame() throws {
        try ConfigFixture.with { fixture in
            try Self.writeFiles(fixture)
            let original = try fixture.parse(
                "[intercom]\nca_file = \"ca.pem\"\nproxy = \"http://proxy.example.com:3128\"\n")
            let rendered = original.render().split(separator: "\n").filter { !$0.hasPrefix("access_token") }
                .joined(separator: "\n")
            var again = try fixture.parse(rendered)
            again.destinationsDefaulted = true
            #expect(again == original)
            let direct = try fixture.parse("[intercom]\nproxy = \"\"\n")
            #expect(
                try fixture.parse(direct.render().replacingOccurrences(of: "access_token = \"***\"", with: "# "))
                    .intercom.connection.proxy == .direct)
        }
    }
}
