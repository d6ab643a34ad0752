import Foundation
import Testing

@testable import IntercomTriggers

/// `format` in a `[[destination]]`: `intercom` (the default) or `cloudevents`, on webhooks and stdout.
@Suite struct ConfigFormatTests {
    static let hook =
        "[[destination]]\nname = \"crm\"\nurl = \"https://hooks.example.com/x\"\nsecret = \"\(ConfigFixture.whsec)\"\n"
    static let console = "[[destination]]\nname = \"console\"\nstdout = true\n"

    @Test func theDefaultIsIntercomEverywhere() throws {
        let configurations = try ConfigFixture.with { fixture in
            [try fixture.parse(""), try fixture.parse(Self.hook + Self.console)]
        }
        for configuration in configurations {
            #expect(configuration.destinations.map(\.format).allSatisfy { $0 == .intercom })
        }
    }

    @Test(arguments: EventFormat.allCases)
    func eachFormatIsReadOnWebhooksAndStdout(format: EventFormat) throws {
        let configuration = try ConfigFixture.with { fixture in
            try fixture.parse(
                Self.hook + "format = \"\(format.rawValue)\"\n" + Self.console + "format = \"\(format.rawValue)\"\n")
        }
        #expect(configuration.destinations.map(\.format) == [format, format])
        let rendered = configuration.render()
        #expect(rendered.components(separatedBy: "format = \"\(format.rawValue)\"\n").count == 3)
    }

    @Test func eachDestinationHasItsOwnFormat() throws {
        let configuration = try ConfigFixture.with { fixture in
            try fixture.parse(Self.hook + "format = \"cloudevents\"\n" + Self.console)
        }
        #expect(configuration.destinations.map(\.format) == [.cloudevents, .intercom])
    }

    @Test(arguments: [
        Refusal(
            name: "unknown format", text: hook + "topics = [\"contact.lead.created\"]\nformat = \"cloudevent\"\n",
            line: 6, problem: "unknown format \"cloudevent\" in [[destination]] \"crm\""),
        Refusal(
            name: "upper-case format", text: console + "format = \"CloudEvents\"\n", line: 4,
            problem: "unknown format \"CloudEvents\""),
        Refusal(name: "empty format", text: console + "format = \"\"\n", line: 4, problem: "unknown format \"\""),
        Refusal(name: "integer format", text: console + "format = 1\n", line: 4, problem: "a string"),
        Refusal(name: "format list", text: hook + "format = [\"intercom\"]\n", line: 5, problem: "a string"),
        Refusal(
            name: "format in [delivery]", text: "[delivery]\nformat = \"cloudevents\"\n", line: 2, problem: "format"),
    ])
    func refused(_ refusal: Refusal) throws {
        try ConfigFixture.with { fixture in
            let error = try #require(fixture.refusal(refusal.text), "accepted: \(refusal.name)")
            #expect(error.file == fixture.file)
            #expect(error.line == refusal.line, "\(error)")
            #expect(error.problem.contains(refusal.problem), "\(error)")
            #expect(!error.fix.isEmpty)
            #expect(!error.description.contains(ConfigFixture.whsec))
        }
    }

    @Test func theFixNamesBothFormats() throws {
        let error = try ConfigFixture.with { fixture in fixture.refusal(Self.console + "format = \"json\"\n") }
        #expect(error?.fix.contains("format = \"intercom\"") == true)
        #expect(error?.fix.contains("format = \"cloudevents\"") == true)
        #expect(ConfigError.exitCode == 78)
    }

    @Test func aRenderedCloudEventsDestinationParsesBackTheSame() throws {
        let environment = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token]
        let original = try DaemonConfiguration.parse(
            text: Self.console + "format = \"cloudevents\"\n", file: "d.conf", environment: environment)
        let rendered = original.render().split(separator: "\n").filter { !$0.hasPrefix("access_token") }
            .joined(separator: "\n")
        let again = try DaemonConfiguration.parse(text: rendered, file: "d.conf", environment: environment)
        #expect(again == original)
    }
}
