import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ConfigSecretsTests {
    /// Which source wins, for every combination of the four token sources.
    struct TokenCase: Sendable, CustomTestStringConvertible {
        var file: Bool
        var inline: Bool
        var environment: Bool
        var credential: Bool
        var testDescription: String { "file \(file) inline \(inline) env \(environment) credential \(credential)" }
    }

    static let tokenCases: [TokenCase] = (0..<16).map {
        TokenCase(file: $0 & 8 != 0, inline: $0 & 4 != 0, environment: $0 & 2 != 0, credential: $0 & 1 != 0)
    }

    @Test(arguments: tokenCases)
    func tokenResolutionOrder(_ sources: TokenCase) throws {
        try ConfigFixture.with { fixture in
            let credentials = "\(fixture.directory)/credentials"
            try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
            try fixture.write("token", "tok_file\n")
            if sources.credential { try fixture.write("credentials/intercom-token", "tok_credential") }
            var text = "[intercom]\n"
            if sources.file { text += "access_token_file = \"{dir}/token\"\n" }
            if sources.inline { text += "access_token = \"tok_inline\"\n" }
            var environment = ["CREDENTIALS_DIRECTORY": credentials]
            if sources.environment { environment["INTERCOM_ACCESS_TOKEN"] = "tok_env" }

            if sources.file && sources.inline {
                #expect(fixture.refusal(text, environment: environment)?.problem.contains("both") == true)
                return
            }
            guard sources.file || sources.inline || sources.environment || sources.credential else {
                let error = fixture.refusal(text, environment: environment)
                #expect(error?.problem == "no Intercom access token")
                #expect(error?.line == 1)
                return
            }
            let token = try fixture.parse(text, environment: environment).intercom.accessToken
            if sources.file {
                #expect(token == Secret("tok_file", source: .file(path: "\(fixture.directory)/token")))
            } else if sources.inline {
                #expect(token == Secret("tok_inline", source: .inline(key: "access_token")))
            } else if sources.environment {
                #expect(token == Secret("tok_env", source: .environment(name: "INTERCOM_ACCESS_TOKEN")))
            } else {
                #expect(token == Secret("tok_credential", source: .credential(path: "\(credentials)/intercom-token")))
            }
        }
    }

    @Test func storeOnlyCommandsLoadAFileWithoutAToken() throws {
        try ConfigFixture.with { fixture in
            let path = try fixture.write("daemon.conf", "[poll]\ninterval = \"30s\"\n")
            let configuration = try DaemonConfiguration.load(path: path, environment: [:], tokenRequired: false)
            #expect(configuration.intercom.accessToken == Secret("", source: .absent))
            #expect(configuration.poll.interval == .seconds(30))
            #expect(throws: ConfigError.self) { try DaemonConfiguration.load(path: path, environment: [:]) }
            // A token that is set is still read and checked.
            let withToken = try DaemonConfiguration.load(
                path: path, environment: ["INTERCOM_ACCESS_TOKEN": "tok_env"], tokenRequired: false)
            #expect(withToken.intercom.accessToken.value == "tok_env")
        }
    }

    @Test func emptyEnvironmentTokenFallsThroughToTheCredential() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("intercom-token", "tok_credential\n")
            let configuration = try fixture.parse(
                "", environment: ["INTERCOM_ACCESS_TOKEN": "", "CREDENTIALS_DIRECTORY": fixture.directory])
            #expect(configuration.intercom.accessToken.value == "tok_credential")
        }
    }

    @Test func secretFileReadableByOthersIsAWarning() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("open.secret", ConfigFixture.whsec, mode: 0o644)
            try fixture.write("group.token", "tok_file", mode: 0o640)
            try fixture.write("closed.secret", ConfigFixture.whsec, mode: 0o600)
            let text = """
                [intercom]
                access_token_file = "group.token"

                [[destination]]
                name = "open"
                url = "https://a.example/"
                secret_file = "open.secret"

                [[destination]]
                name = "closed"
                url = "https://b.example/"
                secret_file = "closed.secret"
                """
            let configuration = try fixture.parse(text, environment: [:])
            #expect(configuration.warnings.map(\.line) == [2, 7])
            #expect(configuration.warnings.allSatisfy { $0.problem.contains("readable by group or others") })
            #expect(configuration.warnings[1].fix == "chmod 600 \(fixture.directory)/open.secret")
            #expect(configuration.warnings[1].description.hasPrefix("\(fixture.file):7: warning: "))
        }
    }

    @Test func aWebhookWithoutASecretIsRefused() throws {
        try ConfigFixture.with { fixture in
            let error = try #require(throws: ConfigError.self) {
                try fixture.parse("[[destination]]\nname = \"crm\"\nurl = \"https://a.example/\"\n")
            }
            #expect(error.line == 3)
            #expect(error.problem.contains("unsigned"))
            #expect(error.fix.contains("unsigned = true"))
        }
    }

    @Test func unsignedOnPurposeIsAccepted() throws {
        let configuration = try ConfigFixture.with { fixture in
            try fixture.parse("[[destination]]\nname = \"crm\"\nurl = \"https://a.example/\"\nunsigned = true\n")
        }
        #expect(configuration.warnings.isEmpty)
        guard case .webhook(let webhook) = configuration.destinations.first?.kind else {
            Issue.record("not a webhook")
            return
        }
        #expect(webhook.secret == nil)
    }

    @Test(arguments: [
        "url = \"https://a.example/\"\nsecret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\nunsigned = true\n",
        "stdout = true\nunsigned = true\n",
    ])
    func unsignedWithASecretOrOnStdoutIsRefused(_ table: String) throws {
        try ConfigFixture.with { fixture in
            let error = try #require(throws: ConfigError.self) {
                try fixture.parse("[[destination]]\nname = \"crm\"\n" + table)
            }
            #expect(error.problem.contains("unsigned"))
        }
    }

    @Test func inlineSecretInAFileOthersCanReadIsAWarning() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("daemon.conf", "[poll]\n[intercom]\naccess_token = \"tok_inline\"\n", mode: 0o644)
            let open = try DaemonConfiguration.load(path: fixture.file, environment: [:])
            #expect(open.warnings.map(\.line) == [3])
            try fixture.write("daemon.conf", "[intercom]\naccess_token = \"tok_inline\"\n", mode: 0o600)
            let closed = try DaemonConfiguration.load(path: fixture.file, environment: [:])
            #expect(closed.warnings.isEmpty)
        }
    }

    @Test func unreadableConfigurationFile() throws {
        try ConfigFixture.with { fixture in
            let error = #expect(throws: ConfigError.self) {
                try DaemonConfiguration.load(path: fixture.file, environment: [:])
            }
            #expect(error?.line == 0)
            #expect(error?.problem.contains("cannot read the configuration file") == true)
            #expect(error?.description.hasPrefix("\(fixture.file): cannot read") == true)
        }
    }

    @Test(arguments: [
        (ConfigFixture.whsec, 32), ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 24),
        ("whsec_" + Data(repeating: 7, count: 64).base64EncodedString(), 64),
        ("whsec_" + Data(repeating: 7, count: 25).base64EncodedString().replacingOccurrences(of: "=", with: ""), 25),
    ])
    func webhookSigningKeys(_ text: String, _ length: Int) {
        #expect(Secret(text, source: .inline(key: "secret")).webhookSigningKey?.count == length)
    }

    @Test(arguments: [
        "", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_plJ3nmyCDGBKInavdOK15jsl",
        "whsec_" + Data(repeating: 7, count: 65).base64EncodedString(), "whsec_MfKQ9r8GKYqrTwjU PD8ILPZIo2LaLaSw",
    ])
    func notWebhookSecrets(_ text: String) {
        #expect(Secret(text, source: .inline(key: "secret")).webhookSigningKey == nil)
    }
}

@Suite struct ConfigLookbackWarningTests {
    @Test(arguments: [
        ("[poll]\ninterval = \"15m\"\nlookback = \"10m\"\n", [3]),
        ("[poll]\ninterval = \"15m\"\n", [1]),
        ("[poll]\ninterval = \"10m\"\nlookback = \"10m\"\n", []),
        ("[poll]\ninterval = \"30s\"\n", []),
    ])
    func aLookbackShorterThanTheIntervalIsAWarning(text: String, lines: [Int]) throws {
        let configuration = try ConfigFixture.with { try $0.parse(text) }
        #expect(configuration.warnings.map(\.line) == lines)
        #expect(configuration.warnings.allSatisfy { $0.problem.contains("shorter than `interval`") })
    }
}
