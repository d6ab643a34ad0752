import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ConfigDefaultsTests {
    /// The repository's `daemon.conf.example`.
    static var examplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("daemon.conf.example").path
    }

    static let environment = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token]

    @Test func emptyFileGivesTheDocumentedDefaults() throws {
        let configuration = try DaemonConfiguration.parse(text: "", file: "d.conf", environment: Self.environment)
        #expect(configuration.intercom.accessToken.value == ConfigFixture.token)
        #expect(configuration.intercom.accessToken.source == .environment(name: "INTERCOM_ACCESS_TOKEN"))
        #expect(configuration.intercom.region == .us)
        #expect(configuration.intercom.baseURL == nil)
        #expect(configuration.intercom.apiVersion == "2.16")
        #expect(configuration.intercom.maxRequestsPerMinute == 1000)
        #expect(configuration.poll.interval == .seconds(120))
        #expect(configuration.poll.lookback == .seconds(600))
        #expect(configuration.store.path == "/var/lib/intercom-triggerd/state.sqlite")
        #expect(configuration.triggers.topics == TopicCatalog.defaults)
        #expect(configuration.triggers.start == .now)
        #expect(configuration.destinationsDefaulted)
        #expect(configuration.destinations.count == 1)
        let destination = try #require(configuration.destinations.first)
        #expect(destination.name == "stdout")
        #expect(destination.kind == .stdout)
        #expect(destination.topics == TopicCatalog.defaults)
        #expect(destination.timeout == .seconds(15))
        #expect(destination.concurrency == 4)
        #expect(!destination.ordered)
        #expect(destination.retrySchedule.map(ConfigDuration.format) == ["5s", "5m", "30m", "2h", "5h", "10h", "10h"])
        #expect(configuration.delivery.retention == .seconds(7 * 86_400))
        #expect(configuration.metrics.listen == nil)
        #expect(configuration.log.level == .info)
        #expect(configuration.log.summaryInterval == .seconds(3_600))
        #expect(configuration.service == .init(shutdownTimeout: .seconds(20), stallLimit: .seconds(300)))
        #expect(configuration.warnings.isEmpty)
        #expect(configuration.render().contains("# no [[destination]] in the file: events go to stdout"))
    }

    @Test func builtInCodeItEqualsTheParsedDefaults() throws {
        let parsed = try DaemonConfiguration.parse(text: "", file: "d.conf", environment: Self.environment)
        let built = DaemonConfiguration(
            file: "d.conf",
            intercom: .init(
                accessToken: Secret(ConfigFixture.token, source: .environment(name: "INTERCOM_ACCESS_TOKEN"))))
        #expect(built == parsed)
    }

    @Test(arguments: [
        ("/run/state", "/run/state/state.sqlite"), ("/run/a:/run/b", "/run/a/state.sqlite"),
        ("/run/a/", "/run/a/state.sqlite"), ("", "/var/lib/intercom-triggerd/state.sqlite"),
    ])
    func storePathFollowsStateDirectory(_ directory: String, _ path: String) throws {
        var environment = Self.environment
        environment["STATE_DIRECTORY"] = directory
        let configuration = try DaemonConfiguration.parse(text: "", file: "d.conf", environment: environment)
        #expect(configuration.store.path == path)
        let explicit = try DaemonConfiguration.parse(
            text: "[store]\npath = \"/srv/s.sqlite\"\n", file: "d.conf", environment: environment)
        #expect(explicit.store.path == "/srv/s.sqlite")
    }

    @Test func relativePathsAreRelativeToTheFile() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("token", "tok_fromfile\n")
            let configuration = try fixture.parse(
                "[intercom]\naccess_token_file = \"token\"\n[store]\npath = \"state/s.sqlite\"\n", environment: [:])
            #expect(configuration.store.path == "\(fixture.directory)/state/s.sqlite")
            #expect(configuration.intercom.accessToken.value == "tok_fromfile")
            #expect(configuration.intercom.accessToken.source == .file(path: "\(fixture.directory)/token"))
        }
    }

    @Test func exampleFileParsesToTheDefaults() throws {
        let defaults = try DaemonConfiguration.parse(text: "", file: Self.examplePath, environment: Self.environment)
        let example = try DaemonConfiguration.load(path: Self.examplePath, environment: Self.environment)
        #expect(example == defaults)
    }

    /// Uncommenting every `# key = value` line of the example must not change anything: they are the defaults.
    @Test func exampleDefaultsAreTheCodesDefaults() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        var uncommented = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard line.hasPrefix("# "), line.dropFirst(2).first?.isLetter == true,
                line.dropFirst(2).prefix(while: { $0 != " " }).allSatisfy({ $0.isLowercase || $0 == "_" }),
                line.contains(" = ")
            else { return line }
            uncommented += 1
            return line.dropFirst(2)
        }
        #expect(uncommented == 15)
        let file = Self.examplePath
        let defaults = try DaemonConfiguration.parse(text: "", file: file, environment: Self.environment)
        let example = try DaemonConfiguration.parse(
            text: lines.joined(separator: "\n"), file: file, environment: Self.environment)
        #expect(example == defaults)
    }

    /// The example's indented `#   key = value` lines document every key a destination takes.
    @Test func exampleMentionsEveryKey() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        for section in ConfigSchema.sections {
            #expect(text.contains(ConfigSchema.header(section.name)), "\(section.name)")
            for key in section.keys {
                #expect(text.contains("\(key.key) = "), "\(section.name).\(key.key)")
            }
        }
    }

    @Test func aFullFileIsReadAsWritten() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("crm.secret", ConfigFixture.whsec + "\n")
            try fixture.write("crm.old", ConfigFixture.oldWhsec)
            let configuration = try fixture.parse(
                """
                [intercom]
                access_token = "tok_inline"
                region = "eu"
                base_url = "http://127.0.0.1:4010"
                api_version = "2.15"
                max_requests_per_minute = 600

                [poll]
                interval = "30s"
                lookback = "15m"

                [store]
                path = "/tmp/s.sqlite"

                [triggers]
                topics = ["contact.lead.created", "contact.lead.signed_up"]
                start = 2025-01-31T09:00:00Z

                [[destination]]
                name = "crm"
                url = "https://hooks.example.com/intercom"
                secret_file = "crm.secret"
                previous_secret_file = "crm.old"
                intercom_client_secret = "abc123"
                topics = ["contact.lead.signed_up"]
                timeout = "5s"
                ordered = true
                retry_schedule = ["1s", "1m"]

                [[destination]]
                name = "console"
                stdout = true
                concurrency = 2

                [delivery]
                retention = "1d"

                [metrics]
                listen = "[::1]:9464"

                [service]
                shutdown_timeout = "8s"
                stall_limit = "90s"

                [log]
                level = "debug"
                summary_interval = "15m"
                """)
            #expect(configuration.intercom.accessToken == Secret("tok_inline", source: .inline(key: "access_token")))
            #expect(configuration.intercom.region == .eu)
            #expect(configuration.intercom.clientConfiguration.baseURL.absoluteString == "http://127.0.0.1:4010")
            #expect(configuration.intercom.clientConfiguration.apiVersion == "2.15")
            #expect(configuration.intercom.clientConfiguration.maxRequestsPerMinute == 600)
            #expect(configuration.poll == .init(interval: .seconds(30), lookback: .seconds(900)))
            #expect(configuration.store.path == "/tmp/s.sqlite")
            #expect(configuration.triggers.topics.map(\.name) == ["contact.lead.created", "contact.lead.signed_up"])
            #expect(configuration.triggers.start == .at(1_738_314_000))
            #expect(!configuration.destinationsDefaulted)
            #expect(configuration.destinations.map(\.name) == ["crm", "console"])
            let crm = configuration.destinations[0]
            guard case .webhook(let webhook) = crm.kind else {
                Issue.record("crm is not a webhook")
                return
            }
            #expect(webhook.url.absoluteString == "https://hooks.example.com/intercom")
            #expect(webhook.secret?.value == ConfigFixture.whsec)
            #expect(webhook.secret?.webhookSigningKey == Data((0..<32).map { UInt8($0) }))
            #expect(webhook.secret?.source == .file(path: "\(fixture.directory)/crm.secret"))
            #expect(webhook.previousSecret?.value == ConfigFixture.oldWhsec)
            #expect(webhook.intercomClientSecret == Secret("abc123", source: .inline(key: "intercom_client_secret")))
            #expect(crm.topics.map(\.name) == ["contact.lead.signed_up"])
            #expect(crm.timeout == .seconds(5))
            #expect(crm.ordered && crm.concurrency == 1)
            #expect(crm.retrySchedule == [.seconds(1), .seconds(60)])
            let console = configuration.destinations[1]
            #expect(console.kind == .stdout)
            #expect(console.topics == configuration.triggers.topics)
            #expect(console.concurrency == 2)
            #expect(configuration.delivery.retention == .seconds(86_400))
            #expect(configuration.metrics.listen == .init(host: "::1", port: 9464))
            #expect(configuration.log.level == .debug)
            #expect(configuration.log.summaryInterval == .seconds(900))
            #expect(configuration.service == .init(shutdownTimeout: .seconds(8), stallLimit: .seconds(90)))
            #expect(configuration.warnings.isEmpty)
        }
    }

    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464), ("[::1]:80", "::1", 80), ("metrics.local:1", "metrics.local", 1),
        ("0.0.0.0:65535", "0.0.0.0", 65535),
    ])
    func metricsListen(_ text: String, _ host: String, _ port: Int) {
        let listen = DaemonConfiguration.Metrics.Listen(parsing: text)
        #expect(listen == .init(host: host, port: port))
        #expect(listen?.description == text)
    }

    @Test(arguments: ["9464", ":9464", "host:", "host:0", "::1:80", "[::1]80", "h:x1", "a b:1"])
    func notMetricsListen(_ text: String) {
        #expect(DaemonConfiguration.Metrics.Listen(parsing: text) == nil)
    }
}
