import Foundation
import Testing

@testable import IntercomTriggers

/// `[[workspace]]` tables, `workspaces_dir` and destinations' `workspaces` (#15): what is accepted and what each
/// workspace resolves to.
@Suite struct ConfigWorkspaceTests {
    typealias Workspace = DaemonConfiguration.Workspace

    @Test func theSingleWorkspaceFormIsOneWorkspaceNamedDefault() throws {
        let configuration = try ConfigFixture.with { fixture in
            try fixture.parse(
                "[intercom]\nregion = \"eu\"\n[poll]\ninterval = \"30s\"\n[triggers]\ntopics = [\"contact.lead.created\"]\n"
            )
        }
        #expect(!configuration.definesWorkspaces)
        #expect(configuration.workspacesDirectory == nil)
        let workspace = try #require(configuration.workspaces.first)
        #expect(configuration.workspaces.count == 1)
        #expect(workspace.name == "default")
        #expect(workspace.intercom == configuration.intercom)
        #expect(workspace.intercom.accessToken.source == .environment(name: "INTERCOM_ACCESS_TOKEN"))
        #expect(workspace.triggers == configuration.triggers)
        #expect(workspace.poll == configuration.poll)
        #expect(workspace.file == configuration.file)
        #expect(workspace.line == 0)
        #expect(configuration.destinations.first?.workspaces == nil)
    }

    @Test func workspacesTakeWhatTheyDoNotSetFromIntercomTriggersAndPoll() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("globex.token", "tok_globex_file\n")
            let configuration = try fixture.parseWorkspaces(
                """
                [intercom]
                base_url = "http://127.0.0.1:4010"
                api_version = "2.15"
                max_requests_per_minute = 600
                proxy = ""

                [poll]
                interval = "60s"
                lookback = "15m"

                [triggers]
                topics = ["contact.lead.created", "contact.user.created"]
                start = "24h"
                ignore_fields = ["last_seen_at"]

                [[workspace]]
                name = "acme"

                [[workspace]]
                name = "globex"
                access_token_file = "globex.token"
                region = "au"
                api_version = "2.16"
                max_requests_per_minute = 100
                topics = ["contact.user.updated"]
                start = "beginning"
                ignore_fields = []
                interval = "10s"
                lookback = "1h"

                [[workspace]]
                name = "initech"
                access_token = "tok_initech_inline"
                base_url = "https://intercom.proxy.example.com"
                """)
            #expect(configuration.definesWorkspaces)
            #expect(configuration.workspaces.map(\.name) == ["acme", "globex", "initech"])
            // [intercom], [triggers] and [poll] hold the shared defaults; the token is each workspace's.
            #expect(configuration.intercom.accessToken.source == .absent)
            #expect(configuration.triggers.topics.map(\.name) == ["contact.lead.created", "contact.user.created"])

            let acme = try #require(configuration.workspace(named: "acme"))
            #expect(
                acme.intercom.accessToken
                    == Secret(
                        "tok_acme", source: .credential(path: "\(fixture.directory)/credentials/intercom-token-acme")))
            #expect(acme.intercom.baseURL?.absoluteString == "http://127.0.0.1:4010")
            #expect(acme.intercom.apiVersion == "2.15")
            #expect(acme.intercom.maxRequestsPerMinute == 600)
            #expect(acme.intercom.connection.proxy == .direct)
            #expect(acme.triggers == configuration.triggers)
            #expect(acme.poll == .init(interval: .seconds(60), lookback: .seconds(900)))
            #expect(acme.file == fixture.file)
            #expect(acme.line == 17)

            let globex = try #require(configuration.workspace(named: "globex"))
            #expect(
                globex.intercom.accessToken
                    == Secret("tok_globex_file", source: .file(path: "\(fixture.directory)/globex.token")))
            // Its own region drops the inherited base_url, which would override it.
            #expect(globex.intercom.region == .au)
            #expect(globex.intercom.baseURL == nil)
            #expect(globex.intercom.apiVersion == "2.16")
            #expect(globex.intercom.maxRequestsPerMinute == 100)
            // ca_file and proxy are [intercom]'s, for every workspace.
            #expect(globex.intercom.connection.proxy == .direct)
            #expect(
                globex.triggers
                    == .init(
                        topics: [TopicCatalog.topic(named: "contact.user.updated")!], start: .beginning,
                        ignoreFields: []))
            #expect(globex.poll == .init(interval: .seconds(10), lookback: .seconds(3600)))

            let initech = try #require(configuration.workspace(named: "initech"))
            #expect(initech.intercom.accessToken == Secret("tok_initech_inline", source: .inline(key: "access_token")))
            #expect(initech.intercom.baseURL?.absoluteString == "https://intercom.proxy.example.com")
            #expect(initech.intercom.region == .us)
            #expect(configuration.warnings.isEmpty)
        }
    }

    @Test func workspacesDirHoldsOneWorkspacePerTomlFileInNameOrder() throws {
        try ConfigFixture.with { fixture in
            try fixture.writeWorkspace("globex.toml", "region = \"eu\"\ntopics = [\"contact.lead.created\"]\n")
            try fixture.writeWorkspace("acme.toml", "name = \"acme\"\naccess_token_file = \"acme.token\"\n")
            try fixture.writeWorkspace("acme.token", "tok_acme_file\n")
            // Hidden files, backups, editors' leftovers and other extensions are not workspaces.
            for ignored in [".hidden.toml", "b.toml.bak", "c.toml~", "README", "notes.txt", ".#a.toml"] {
                try fixture.writeWorkspace(ignored, "this is not TOML = = =")
            }
            let configuration = try fixture.parseWorkspaces(
                "workspaces_dir = \"workspaces.d\"\n\n[[workspace]]\nname = \"zeta\"\n[[workspace]]\nname = \"default\"\n"
            )
            #expect(configuration.workspacesDirectory == fixture.workspacesDirectory)
            #expect(configuration.workspaces.map(\.name) == ["acme", "default", "globex", "zeta"])
            let acme = try #require(configuration.workspace(named: "acme"))
            #expect(acme.file == "\(fixture.workspacesDirectory)/acme.toml")
            #expect(acme.line == 1)
            // A workspace file's relative paths are relative to its own directory.
            #expect(acme.intercom.accessToken.source == .file(path: "\(fixture.workspacesDirectory)/acme.token"))
            let globex = try #require(configuration.workspace(named: "globex"))
            #expect(globex.file == "\(fixture.workspacesDirectory)/globex.toml")
            #expect(globex.line == 0)
            #expect(globex.intercom.region == .eu)
            #expect(globex.triggers.topics.map(\.name) == ["contact.lead.created"])
            #expect(configuration.workspace(named: "zeta")?.line == 4)
        }
    }

    @Test func anEmptyWorkspaceFileIsAWorkspaceOfDefaults() throws {
        try ConfigFixture.with { fixture in
            try fixture.writeWorkspace("acme.toml", "")
            let configuration = try fixture.parseWorkspaces(
                "workspaces_dir = \"\(fixture.workspacesDirectory)\"\n[poll]\ninterval = \"1m\"\n")
            let acme = try #require(configuration.workspaces.first)
            #expect(configuration.workspaces.count == 1)
            #expect(acme.name == "acme")
            #expect(acme.triggers == DaemonConfiguration.Triggers())
            #expect(acme.poll.interval == .seconds(60))
            #expect(acme.intercom.accessToken.value == "tok_acme")
        }
    }

    @Test func anEmptyWorkspacesDirIsFineBesideTables() throws {
        try ConfigFixture.with { fixture in
            try FileManager.default.createDirectory(
                atPath: fixture.workspacesDirectory, withIntermediateDirectories: true)
            let configuration = try fixture.parseWorkspaces(
                "workspaces_dir = \"workspaces.d\"\n[[workspace]]\nname = \"acme\"\n")
            #expect(configuration.workspaces.map(\.name) == ["acme"])
        }
    }

    @Test func moreThanTenThousandWorkspacesAreRefused() throws {
        try ConfigFixture.with { fixture in
            try fixture.writeWorkspace("a.toml", "")
            try fixture.writeWorkspace("b.toml", "")
            let parser = ConfigParser(
                text: "# many\nworkspaces_dir = \"workspaces.d\"\n", file: fixture.file, environment: [:])
            #expect(
                try parser.workspaceFileNames(in: fixture.workspacesDirectory, besides: 9_998) == ["a.toml", "b.toml"])
            #expect {
                try parser.workspaceFileNames(in: fixture.workspacesDirectory, besides: 9_999)
            } throws: { error in
                let error = try #require(error as? ConfigError)
                return error.line == 2 && error.problem.contains("more than 10000 workspaces")
                    && error.fix.contains("split them among daemons")
            }
        }
    }

    @Test func theEnvironmentTokenIsTheSingleWorkspacesOnly() throws {
        try ConfigFixture.with { fixture in
            let refusal = fixture.refusal(
                "[[workspace]]\nname = \"nocred\"\n", environment: ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token])
            #expect(refusal?.problem == "no Intercom access token for the workspace \"nocred\"")
            #expect(refusal?.line == 2)
            #expect(refusal?.fix.contains("LoadCredential=intercom-token-nocred:") == true)
        }
    }

    @Test func storeOnlyCommandsNeedNoWorkspaceToken() throws {
        try ConfigFixture.with { fixture in
            try fixture.writeWorkspace("nocred.toml", "")
            try fixture.write("daemon.conf", "workspaces_dir = \"workspaces.d\"\n[[workspace]]\nname = \"other\"\n")
            let configuration = try DaemonConfiguration.load(path: fixture.file, environment: [:], tokenRequired: false)
            #expect(configuration.workspaces.map(\.intercom.accessToken.source) == [.absent, .absent])
            #expect(throws: ConfigError.self) {
                try DaemonConfiguration.load(path: fixture.file, environment: [:])
            }
        }
    }

    @Test func destinationsTakeTheirWorkspacesTopics() throws {
        try ConfigFixture.with { fixture in
            let configuration = try fixture.parseWorkspaces(
                """
                [triggers]
                topics = ["contact.lead.created"]

                [[workspace]]
                name = "acme"

                [[workspace]]
                name = "globex"
                topics = ["contact.user.created", "contact.lead.created"]

                [[destination]]
                name = "acme-only"
                stdout = true
                workspaces = ["acme"]

                [[destination]]
                name = "globex-users"
                stdout = true
                workspaces = ["globex"]
                topics = ["contact.user.created"]

                [[destination]]
                name = "all"
                stdout = true
                """)
            let destinations = Dictionary(uniqueKeysWithValues: configuration.destinations.map { ($0.name, $0) })
            #expect(destinations["acme-only"]?.workspaces == ["acme"])
            #expect(destinations["acme-only"]?.topics.map(\.name) == ["contact.lead.created"])
            #expect(destinations["globex-users"]?.workspaces == ["globex"])
            #expect(destinations["all"]?.workspaces == nil)
            // The default topics of a destination are its workspaces' topics, each once.
            #expect(destinations["all"]?.topics.map(\.name) == ["contact.lead.created", "contact.user.created"])
            #expect(destinations["acme-only"]?.serves(workspace: "acme") == true)
            #expect(destinations["acme-only"]?.serves(workspace: "globex") == false)
            #expect(destinations["all"]?.serves(workspace: "added-later") == true)
        }
    }

    @Test func withoutDestinationsStdoutTakesEveryWorkspacesTopics() throws {
        try ConfigFixture.with { fixture in
            let configuration = try fixture.parseWorkspaces(
                """
                [[workspace]]
                name = "acme"
                topics = ["contact.lead.created"]
                [[workspace]]
                name = "globex"
                topics = ["conversation.user.created", "contact.lead.created"]
                """)
            #expect(configuration.destinationsDefaulted)
            #expect(
                configuration.destinations.first?.topics.map(\.name) == [
                    "contact.lead.created", "conversation.user.created",
                ])
            #expect(configuration.destinations.first?.workspaces == nil)
        }
    }

    /// `changed` on a field is refused only when every workspace of the destination ignores it.
    @Test(arguments: [
        (["acme", "globex"], "location.city", false), (["acme"], "location.city", true),
        (["globex"], "location.city", false), (["acme", "globex"], "last_seen_at", false),
        (["acme", "globex"], "browser", true), (["acme", "globex"], "location.country", true),
    ])
    func changedOnAFieldEveryWorkspaceIgnoresIsRefused(_ served: [String], _ field: String, _ refused: Bool) throws {
        try ConfigFixture.with { fixture in
            let list = served.map { "\"\($0)\"" }.joined(separator: ", ")
            let text = """
                [triggers]
                topics = ["contact.user.updated"]
                ignore_fields = ["location", "browser"]
                [[workspace]]
                name = "acme"
                [[workspace]]
                name = "globex"
                ignore_fields = ["location.country", "last_seen_at", "browser"]
                [[destination]]
                name = "changes"
                stdout = true
                workspaces = [\(list)]
                [[destination.when]]
                field = "\(field)"
                operator = "changed"
                """
            let error = fixture.refusal(text, environment: try fixture.workspaceEnvironment())
            #expect((error != nil) == refused, "\(String(describing: error))")
            if let error {
                #expect(error.problem.contains("every workspace of the destination ignores"))
                #expect(error.line == 14)
            }
        }
    }

    @Test func twoWorkspacesWithOneTokenAndHostAreAWarning() throws {
        try ConfigFixture.with { fixture in
            let configuration = try fixture.parseWorkspaces(
                """
                [[workspace]]
                name = "acme"
                access_token = "tok_same"
                [[workspace]]
                name = "copy"
                access_token = "tok_same"
                [[workspace]]
                name = "elsewhere"
                access_token = "tok_same"
                region = "eu"
                """)
            #expect(configuration.warnings.map(\.line) == [5])
            #expect(configuration.warnings.first?.problem.contains("\"acme\"") == true)
            #expect(configuration.warnings.first?.problem.contains("polled twice") == true)
            #expect(!configuration.warnings.map(\.description).joined().contains("tok_same"))
        }
    }

    @Test func aWorkspaceLookbackShorterThanItsIntervalIsAWarning() throws {
        try ConfigFixture.with { fixture in
            try fixture.writeWorkspace("acme.toml", "interval = \"30m\"\n")
            let configuration = try fixture.parseWorkspaces("workspaces_dir = \"workspaces.d\"\n")
            #expect(configuration.warnings.count == 1)
            #expect(configuration.warnings.first?.file == "\(fixture.workspacesDirectory)/acme.toml")
            #expect(configuration.warnings.first?.problem.contains("shorter than `interval`") == true)
        }
    }

    @Test func aWorkspaceFileWithAnInlineTokenThatOthersCanReadIsAWarning() throws {
        try ConfigFixture.with { fixture in
            let path = try fixture.writeWorkspace("acme.toml", "# acme\naccess_token = \"tok_x\"\n", mode: 0o644)
            let configuration = try fixture.parseWorkspaces("workspaces_dir = \"workspaces.d\"\n")
            #expect(configuration.warnings.map(\.file) == [path])
            #expect(configuration.warnings.map(\.line) == [2])
            #expect(configuration.warnings.first?.fix.hasPrefix("chmod 600 \(path)") == true)
        }
    }

    @Test func builtInCodeWorkspacesAreSortedAndFeedTheDefaultDestination() {
        let token = DaemonConfiguration.Intercom(accessToken: Secret("t", source: .inline(key: "access_token")))
        let lead = TopicCatalog.topic(named: "contact.lead.created")!
        let user = TopicCatalog.topic(named: "contact.user.created")!
        let configuration = DaemonConfiguration(
            intercom: token,
            workspaces: [
                Workspace(name: "b", intercom: token, triggers: .init(topics: [user])),
                Workspace(name: "a", intercom: token, triggers: .init(topics: [lead])),
            ])
        #expect(configuration.definesWorkspaces)
        #expect(configuration.workspaces.map(\.name) == ["a", "b"])
        #expect(configuration.destinations.first?.topics == [lead, user])
    }

    @Test func inTheSingleFormSettingTheDefaultWorkspaceSetsIntercomTriggersAndPoll() {
        let token = DaemonConfiguration.Intercom(accessToken: Secret("t", source: .inline(key: "access_token")))
        var configuration = DaemonConfiguration(intercom: token)
        configuration.workspaces[0].poll.interval = .seconds(5)
        configuration.workspaces[0].intercom.apiVersion = "2.15"
        #expect(!configuration.definesWorkspaces)
        #expect(configuration.poll.interval == .seconds(5))
        #expect(configuration.intercom.apiVersion == "2.15")
        // And the other way round: the one workspace always agrees with them.
        configuration.triggers.start = .beginning
        #expect(configuration.workspaces[0].triggers.start == .beginning)
        // Any other list defines workspaces; an empty one returns to the single form.
        configuration.workspaces = [Workspace(name: "acme", intercom: token)]
        #expect(configuration.definesWorkspaces)
        configuration.workspaces = []
        #expect(configuration.workspaces.map(\.name) == ["default"])
    }

    /// The README's example of three workspaces, its paths moved into the fixture, is valid and means what the
    /// README says.
    @Test func theReadmeExampleIsValid() throws {
        let readme = URL(fileURLWithPath: ConfigDefaultsTests.examplePath).deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "### Many workspaces").dropFirst().first)
        let blocks = section.components(separatedBy: "```toml\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        try #require(blocks.count == 2, "the section's two toml blocks: daemon.conf and workspaces.d/globex.toml")
        try ConfigFixture.with { fixture in
            let moved = { (text: String) in
                text.replacingOccurrences(of: "/etc/intercom-triggerd/", with: "\(fixture.directory)/")
            }
            try FileManager.default.createDirectory(
                atPath: "\(fixture.directory)/tokens", withIntermediateDirectories: true)
            try fixture.write("tokens/initech", "tok_initech_file\n")
            try fixture.write("tokens/globex", "tok_globex_file\n")
            try fixture.write("crm.secret", ConfigFixture.whsec)
            try fixture.write("initech.secret", ConfigFixture.whsec)
            try fixture.writeWorkspace("globex.toml", moved(blocks[1]))
            let configuration = try fixture.parseWorkspaces(moved(blocks[0]))
            #expect(configuration.workspaces.map(\.name) == ["acme", "globex", "initech"])
            #expect(
                configuration.workspaces.map(\.intercom.accessToken.value) == [
                    "tok_acme", "tok_globex_file", "tok_initech_file",
                ])
            #expect(configuration.workspaces.map(\.intercom.region) == [.us, .au, .eu])
            #expect(configuration.workspaces.map(\.intercom.maxRequestsPerMinute) == [500, 500, 500])
            #expect(configuration.destinations.map(\.workspaces) == [["acme", "globex"], ["initech"]])
            #expect(configuration.warnings.isEmpty)
        }
    }

    @Test(arguments: ["a", "acme", "0day", "acme-eu_2", String(repeating: "x", count: 63), "default"])
    func workspaceNames(_ name: String) {
        #expect(Workspace.isValidName(name))
    }

    @Test(arguments: [
        "", "Acme", "-acme", "_acme", "acme.eu", "acme eu", "acmé", "acme/eu", String(repeating: "x", count: 64),
    ])
    func notWorkspaceNames(_ name: String) {
        #expect(!Workspace.isValidName(name))
    }

    @Test func anApiCommandActsOnTheOnlyWorkspaceOrTheOneItNames() throws {
        try ConfigFixture.with { fixture in
            let one = try fixture.parseWorkspaces("[[workspace]]\nname = \"acme\"\n")
            let served = try one.servedWorkspace()
            #expect(served.name == "acme")
            #expect(served.intercom.accessToken.value == "tok_acme")
            let two = try fixture.parseWorkspaces(
                "[[workspace]]\nname = \"acme\"\n\n[[workspace]]\nname = \"globex\"\n")
            #expect(try two.servedWorkspace(named: "globex").name == "globex")
            let unnamed = try #require(throws: WorkspaceChoiceError.self) { try two.servedWorkspace() }
            #expect(
                unnamed.description
                    == "2 workspaces are configured: name one with --workspace NAME (known: acme, globex)")
            let unknown = try #require(throws: WorkspaceChoiceError.self) { try two.servedWorkspace(named: "initech") }
            #expect(unknown.description == "no workspace initech is configured (known: acme, globex)")
        }
    }
}
