import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ConfigRenderTests {
    static let client = "clientsecret_4f9a2b"
    static let token = "tok_SuperSecret_123"
    static let password = "hunter2pw"

    static func configuration(_ fixture: ConfigFixture) throws -> DaemonConfiguration {
        try fixture.write("crm.secret", ConfigFixture.whsec)
        return try fixture.parse(
            """
            [intercom]
            access_token = "\(token)"
            base_url = "https://proxy:\(password)@proxy.example.com/intercom"

            [[destination]]
            name = "crm"
            url = "https://user:\(password)@hooks.example.com/in?token=\(password)&x"
            secret_file = "crm.secret"
            previous_secret = "\(ConfigFixture.oldWhsec)"
            intercom_client_secret = "\(client)"

            [[destination]]
            name = "console"
            stdout = true
            topics = ["contact.lead.created"]
            """)
    }

    static let secrets = [token, ConfigFixture.whsec, ConfigFixture.oldWhsec, client, password]

    @Test func noSecretIsRendered() throws {
        let configuration = try ConfigFixture.with { try Self.configuration($0) }
        var texts = [
            configuration.render(), configuration.redactedDescription, String(describing: configuration),
            String(reflecting: configuration),
        ]
        var dumped = ""
        dump(configuration, to: &dumped)
        texts += [dumped, String(describing: configuration.intercom), String(reflecting: configuration.destinations)]
        for secret in configuration.destinations.compactMap({ destination -> [Secret]? in
            guard case .webhook(let webhook) = destination.kind else { return nil }
            return [webhook.secret, webhook.previousSecret, webhook.intercomClientSecret].compactMap(\.self)
        }).flatMap(\.self) + [configuration.intercom.accessToken] {
            texts += [String(describing: secret), String(reflecting: secret), "\(secret)"]
        }
        for text in texts {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "\(secret) in \(text)")
            }
        }
        // The secrets are there for the code that needs them.
        #expect(configuration.intercom.accessToken.value == Self.token)
    }

    @Test func renderShowsSourcesAndDefaults() throws {
        try ConfigFixture.with { fixture in
            let text = try Self.configuration(fixture).render()
            #expect(text.contains("access_token = \"***\"  # written inline"))
            #expect(text.contains("secret = \"***\"  # from file \(fixture.directory)/crm.secret"))
            #expect(text.contains("previous_secret = \"***\""))
            #expect(text.contains("intercom_client_secret = \"***\""))
            #expect(text.contains("base_url = \"https://proxy:***@proxy.example.com/intercom\""))
            #expect(text.contains("url = \"https://user:***@hooks.example.com/in?token=***&x\""))
            #expect(text.contains("interval = \"2m\""))
            #expect(text.contains("retry_schedule = [\"5s\", \"5m\", \"30m\", \"2h\", \"5h\", \"10h\", \"10h\"]"))
            #expect(text.contains("# listen is not set: no metrics endpoint"))
            #expect(!text.contains("# no [[destination]] in the file"))
            #expect(text.contains("name = \"console\"\nstdout = true\ntopics = [\"contact.lead.created\"]"))
        }
    }

    @Test func renderedDefaultsParseBackToTheSameConfiguration() throws {
        // With no secret in the file, the rendering is itself a valid configuration with the same values.
        let environment = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token]
        let original = try DaemonConfiguration.parse(
            text: "[triggers]\nstart = \"2025-01-31T09:00:00Z\"\n[metrics]\nlisten = \"[::1]:9\"\n", file: "d.conf",
            environment: environment)
        let rendered = original.render().split(separator: "\n").filter { !$0.hasPrefix("access_token") }
            .joined(separator: "\n")
        var again = try DaemonConfiguration.parse(text: rendered, file: "d.conf", environment: environment)
        again.destinationsDefaulted = true
        #expect(again == original)
    }

    @Test func anUnsignedWebhookRendersAsUnsignedAndParsesBack() throws {
        let environment = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token]
        let original = try DaemonConfiguration.parse(
            text: "[[destination]]\nname = \"hook\"\nurl = \"http://127.0.0.1:9/in\"\nunsigned = true\n",
            file: "d.conf",
            environment: environment)
        let text = original.render()
        #expect(text.contains("unsigned = true"))
        let rendered = text.split(separator: "\n").filter { !$0.hasPrefix("access_token") }.joined(separator: "\n")
        #expect(try DaemonConfiguration.parse(text: rendered, file: "d.conf", environment: environment) == original)
    }
}

/// `check-config` with `[[workspace]]` and `workspaces_dir` (#15): every workspace resolved, where it is defined,
/// and a rendering that parses back to the same workspaces.
@Suite struct ConfigWorkspaceRenderTests {
    static let text = """
        workspaces_dir = "workspaces.d"

        [intercom]
        region = "eu"

        [poll]
        interval = "1m"

        [[workspace]]
        name = "acme"
        access_token = "tok_SECRET_acme"
        topics = ["contact.lead.created"]
        lookback = "20m"

        [[destination]]
        name = "acme-out"
        stdout = true
        workspaces = ["globex", "acme"]

        [[destination]]
        name = "console"
        stdout = true
        """

    static func configuration(_ fixture: ConfigFixture) throws -> DaemonConfiguration {
        try fixture.writeWorkspace("globex.toml", "base_url = \"http://127.0.0.1:4010\"\nstart = \"beginning\"\n")
        return try fixture.parseWorkspaces(text)
    }

    @Test func everyWorkspaceIsShownResolvedWithItsOrigin() throws {
        try ConfigFixture.with { fixture in
            let configuration = try Self.configuration(fixture)
            let text = configuration.render()
            var dumped = ""
            dump(configuration, to: &dumped)
            for shown in [
                text, dumped, String(reflecting: configuration), String(describing: configuration.workspaces),
            ] {
                #expect(!shown.contains("tok_SECRET_acme"))
                #expect(!shown.contains("tok_globex"))
            }
            #expect(text.contains("# 2 workspaces, each shown below as a [[workspace]]"))
            #expect(text.contains("# workspaces_dir = \"\(fixture.workspacesDirectory)\": its files are among them"))
            #expect(text.contains("[intercom]\n# access_token is not set: each workspace has its own\nregion = \"eu\""))
            #expect(
                text.contains(
                    """
                    [[workspace]]
                    name = "acme"  # a [[workspace]] on \(fixture.file):10
                    access_token = "***"  # written inline
                    region = "eu"
                    # base_url is not set: https://api.eu.intercom.io, from region
                    api_version = "2.16"
                    max_requests_per_minute = 1000
                    topics = ["contact.lead.created"]
                    start = "now"
                    """))
            #expect(text.contains("interval = \"1m\"\nlookback = \"20m\"\n"))
            #expect(
                text.contains(
                    """
                    name = "globex"  # from the workspace file \(fixture.workspacesDirectory)/globex.toml
                    access_token = "***"  # from systemd credential \(fixture.directory)/credentials/intercom-token-globex
                    region = "eu"
                    base_url = "http://127.0.0.1:4010"
                    """))
            #expect(text.contains("start = \"beginning\""))
            #expect(text.contains("workspaces = [\"acme\", \"globex\"]"))
            #expect(text.contains("# workspaces is not set: every workspace"))
        }
    }

    @Test func renderedWorkspacesParseBackToTheSameConfiguration() throws {
        try ConfigFixture.with { fixture in
            let original = try Self.configuration(fixture)
            // The tokens come from the credentials the second time: drop the redacted lines.
            let rendered = original.render().split(separator: "\n").filter { !$0.hasPrefix("access_token") }
                .joined(separator: "\n")
            var again = try fixture.parseWorkspaces(rendered)
            #expect(again.workspaces.map(\.name) == original.workspaces.map(\.name))
            for (back, first) in zip(again.workspaces, original.workspaces) {
                #expect(back.intercom.region == first.intercom.region)
                #expect(back.intercom.baseURL == first.intercom.baseURL)
                #expect(back.triggers == first.triggers)
                #expect(back.poll == first.poll)
            }
            // Only where each workspace is defined and where its token comes from differ.
            #expect(again.workspacesDirectory == nil)
            again.workspaces = original.workspaces
            again.workspacesDirectory = original.workspacesDirectory
            #expect(again == original)
        }
    }

    @Test func theSingleWorkspaceFormRendersAsBefore() throws {
        let text = try ConfigFixture.with { try $0.parse("[[destination]]\nname = \"c\"\nstdout = true\n") }.render()
        #expect(!text.contains("workspace"))
    }
}

@Suite struct HTTPProxyDescriptionTests {
    @Test(arguments: [
        (HTTPProxy.url("http://ops:hunter22@proxy.internal:3128"), "http://ops:***@proxy.internal:3128"),
        (.url("not a url hunter22"), "***"), (.environment, "environment"), (.direct, "direct"),
    ])
    func aProxyNeverShowsItsPassword(_ proxy: HTTPProxy, _ shown: String) {
        #expect(String(describing: proxy) == shown)
        #expect(String(reflecting: proxy).contains("hunter22") == false)
        #expect(String(reflecting: HTTPConnectionSettings(proxy: proxy)).contains("hunter22") == false)
    }
}
