import Foundation
import Testing

@testable import IntercomTriggers

/// One configuration the daemon must refuse: the text, the line the error must name, and words the problem must
/// contain.
struct Refusal: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var line: Int
    var problem: String
    var environment: [String: String] = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token]

    var testDescription: String { name }
}

/// Every refusal of DESIGN §9: each names the file, the line and a fix.
@Suite struct ConfigRefusalTests {
    static let hook = "[[destination]]\nname = \"crm\"\nurl = \"https://hooks.example.com/x\"\n"
    static let hookWithSecret = hook + "secret = \"\(ConfigFixture.whsec)\"\n"

    static let cases: [Refusal] = [
        // Unknown keys: at the top level and in every table.
        Refusal(
            name: "unknown top-level key", text: "# c\ninterval = \"120s\"\n", line: 2,
            problem: "unknown key `interval`"),
        Refusal(
            name: "top-level table typo", text: "[pol]\ninterval = \"1s\"\n", line: 1, problem: "unknown key `pol`"),
        Refusal(
            name: "unknown key in [intercom]", text: "[intercom]\nregion = \"eu\"\ntoken = \"x\"\n", line: 3,
            problem: "`token`"),
        Refusal(
            name: "unknown key in [poll]", text: "[poll]\ninterval = \"60s\"\n\nintervall = \"60s\"\n", line: 4,
            problem: "`intervall`"),
        Refusal(name: "unknown key in [store]", text: "[store]\nfile = \"x\"\n", line: 2, problem: "`file`"),
        Refusal(name: "unknown key in [triggers]", text: "[triggers]\ntopic = []\n", line: 2, problem: "`topic`"),
        Refusal(name: "unknown key in [delivery]", text: "[delivery]\nretain = \"1d\"\n", line: 2, problem: "`retain`"),
        Refusal(name: "unknown key in [metrics]", text: "[metrics]\naddress = \"x\"\n", line: 2, problem: "`address`"),
        Refusal(
            name: "unknown key in [log]", text: "[log]\nlevel = \"info\"\nformat = \"json\"\n", line: 3,
            problem: "`format`"),
        Refusal(
            name: "unknown key in the second [[destination]]",
            text: hookWithSecret + "\n[[destination]]\nname = \"b\"\nstdout = true\nretries = 3\n", line: 9,
            problem: "`retries`"),
        Refusal(name: "key of another table", text: "[intercom]\ninterval = \"1s\"\n", line: 2, problem: "`interval`"),
        Refusal(name: "dotted unknown key", text: "poll.every = \"1s\"\n", line: 1, problem: "`every`"),

        // Wrong types.
        Refusal(name: "integer duration", text: "[poll]\ninterval = 120\n", line: 2, problem: "must be a duration"),
        Refusal(
            name: "string integer", text: "[intercom]\nmax_requests_per_minute = \"1000\"\n", line: 2,
            problem: "an integer"),
        Refusal(name: "string bool", text: hookWithSecret + "ordered = \"yes\"\n", line: 5, problem: "true or false"),
        Refusal(
            name: "float concurrency", text: hookWithSecret + "concurrency = 4.5\n", line: 5, problem: "an integer"),
        Refusal(
            name: "topics not an array", text: "[triggers]\ntopics = \"contact.lead.created\"\n", line: 2,
            problem: "array"),
        Refusal(
            name: "array of non-strings", text: "[triggers]\ntopics = [1, 2]\n", line: 2, problem: "array of strings"),
        Refusal(name: "table as a value", text: "poll = 3\n", line: 1, problem: "must be a table"),
        Refusal(
            name: "single [destination]", text: "[destination]\nname = \"a\"\nstdout = true\n", line: 1,
            problem: "array of tables"),
        Refusal(name: "integer region", text: "[intercom]\nregion = 1\n", line: 2, problem: "a string"),

        // Bad durations.
        Refusal(name: "duration without unit", text: "[poll]\ninterval = \"120\"\n", line: 2, problem: "no unit"),
        Refusal(
            name: "duration with spaces", text: "[poll]\nlookback = \"5 minutes\"\n", line: 2, problem: "unknown unit"),
        Refusal(
            name: "duration unknown unit", text: "[delivery]\nretention = \"7w\"\n", line: 2, problem: "unknown unit"),
        Refusal(name: "negative duration", text: "[poll]\nlookback = \"-1s\"\n", line: 2, problem: "not a duration"),
        Refusal(
            name: "shutdown timeout too long", text: "[service]\nshutdown_timeout = \"1h\"\n", line: 2,
            problem: "outside 1s…10m"),
        Refusal(
            name: "sub-second stall limit", text: "[service]\nstall_limit = \"10ms\"\n", line: 2,
            problem: "shorter than a second"),
        Refusal(
            name: "sub-second summary", text: "[log]\nsummary_interval = \"100ms\"\n", line: 2,
            problem: "shorter than a second"),
        Refusal(name: "zero interval", text: "[poll]\ninterval = \"0s\"\n", line: 2, problem: "longer than zero"),
        Refusal(
            name: "sub-second interval", text: "[poll]\ninterval = \"500ms\"\n", line: 2,
            problem: "shorter than a second"),
        Refusal(
            name: "zero timeout", text: hookWithSecret + "timeout = \"0ms\"\n", line: 5, problem: "longer than zero"),
        Refusal(
            name: "bad retry step on its own line",
            text: hookWithSecret + "retry_schedule = [\n  \"5s\",\n  \"5 m\",\n]\n", line: 7, problem: "retry_schedule"),

        // Topics.
        Refusal(
            name: "unknown topic in a multi-line list",
            text: "[triggers]\ntopics = [\n  \"contact.lead.created\",\n  \"contact.usr.created\",\n]\n", line: 4,
            problem: "unknown topic \"contact.usr.created\""),
        Refusal(
            name: "topic listed twice",
            text: "[triggers]\ntopics = [\"contact.lead.created\", \"contact.lead.created\"]\n", line: 2,
            problem: "twice"),
        Refusal(name: "no topics", text: "[triggers]\ntopics = []\n", line: 2, problem: "empty"),
        Refusal(
            name: "destination topic not enabled",
            text: "[triggers]\ntopics = [\"contact.lead.created\"]\n\n" + hookWithSecret
                + "topics = [\"contact.user.created\"]\n",
            line: 8, problem: "not enabled"),
        Refusal(
            name: "unknown destination topic", text: hookWithSecret + "topics = [\"ticket.created\"]\n", line: 5,
            problem: "unknown topic"),
        Refusal(name: "bad start", text: "[triggers]\nstart = \"yesterday\"\n", line: 2, problem: "not a start"),
        Refusal(
            name: "start without offset", text: "[triggers]\nstart = 2025-01-01T00:00:00\n", line: 2, problem: "offset"),

        // Secrets.
        Refusal(
            name: "missing secret file", text: hook + "secret_file = \"{dir}/missing.secret\"\n", line: 4,
            problem: "cannot read the secret file"),
        Refusal(
            name: "secret file is a directory", text: hook + "secret_file = \"{dir}\"\n", line: 4,
            problem: "not a regular file"),
        Refusal(
            name: "missing token file", text: "[intercom]\naccess_token_file = \"{dir}/nope\"\n", line: 2,
            problem: "cannot read"),
        Refusal(name: "malformed whsec inline", text: hook + "secret = \"not-a-whsec\"\n", line: 4, problem: "whsec_"),
        Refusal(
            name: "whsec too short", text: hook + "secret = \"whsec_plJ3nmyCDGBKInavdOK15jsl\"\n", line: 4,
            problem: "24–64"),
        Refusal(
            name: "whsec not base64", text: hook + "secret = \"whsec_!!!!####$$$$%%%%^^^^&&&&****((((\"\n", line: 4,
            problem: "whsec_"),
        Refusal(
            name: "malformed whsec in a file",
            text: hook + "previous_secret_file = \"bad.secret\"\nsecret_file = \"good.secret\"\n", line: 4,
            problem: "previous_secret"),
        Refusal(
            name: "secret and secret_file", text: hookWithSecret + "secret_file = \"good.secret\"\n", line: 5,
            problem: "both"),
        Refusal(
            name: "previous secret alone", text: hook + "previous_secret = \"\(ConfigFixture.oldWhsec)\"\n", line: 4,
            problem: "no current secret"),
        Refusal(
            name: "secret on stdout",
            text: "[[destination]]\nname = \"c\"\nstdout = true\nsecret = \"\(ConfigFixture.whsec)\"\n", line: 4,
            problem: "not signed"),
        Refusal(
            name: "missing token", text: "# no token\n[intercom]\nregion = \"eu\"\n", line: 2,
            problem: "no Intercom access token", environment: [:]),
        Refusal(
            name: "missing token, no [intercom]", text: "[poll]\n", line: 0, problem: "no Intercom access token",
            environment: [:]),
        Refusal(
            name: "token with a space", text: "[intercom]\naccess_token = \"abc def\"\n", line: 2, problem: "whitespace"
        ),
        Refusal(
            name: "token and token file", text: "[intercom]\naccess_token = \"a\"\naccess_token_file = \"t\"\n",
            line: 3, problem: "both"),
        Refusal(
            name: "empty token file", text: "[intercom]\naccess_token_file = \"empty.token\"\n", line: 2,
            problem: "empty"),

        // URLs.
        Refusal(
            name: "http to a remote host",
            text: "[[destination]]\nname = \"a\"\nurl = \"http://hooks.example.com/x\"\n", line: 3,
            problem: "plain http"),
        Refusal(
            name: "http to a private address", text: "[[destination]]\nname = \"a\"\nurl = \"http://10.0.0.1/x\"\n",
            line: 3, problem: "plain http"),
        Refusal(
            name: "http to 128.0.0.1", text: "[[destination]]\nname = \"a\"\nurl = \"http://128.0.0.1/x\"\n", line: 3,
            problem: "plain http"),
        Refusal(
            name: "http to localhost.evil",
            text: "[[destination]]\nname = \"a\"\nurl = \"http://localhost.example.com/x\"\n", line: 3,
            problem: "plain http"),
        Refusal(
            name: "not a URL", text: "[[destination]]\nname = \"a\"\nurl = \"hooks.example.com\"\n", line: 3,
            problem: "not an http(s) URL"),
        Refusal(
            name: "ftp URL", text: "[[destination]]\nname = \"a\"\nurl = \"ftp://example.com/x\"\n", line: 3,
            problem: "not an http(s) URL"),
        Refusal(
            name: "http base_url to a remote host", text: "[intercom]\nbase_url = \"http://api.intercom.io\"\n",
            line: 2, problem: "plain http"),

        // Destinations.
        Refusal(
            name: "duplicate destination names",
            text: "[[destination]]\nname = \"out\"\nstdout = true\n\n[[destination]]\nname = \"out\"\nstdout = true\n",
            line: 6, problem: "used twice (also on line 2)"),
        Refusal(
            name: "neither url nor stdout",
            text: "[[destination]]\nname = \"a\"\nstdout = true\n[[destination]]\nname = \"b\"\n", line: 4,
            problem: "neither"),
        Refusal(
            name: "stdout = false without url", text: "[[destination]]\nname = \"b\"\nstdout = false\n", line: 1,
            problem: "neither"),
        Refusal(
            name: "both url and stdout",
            text: "[[destination]]\nname = \"b\"\nurl = \"https://x.example/\"\nstdout = true\n", line: 4,
            problem: "both"),
        Refusal(name: "no name", text: "[[destination]]\nstdout = true\n", line: 1, problem: "no name"),
        Refusal(
            name: "bad name", text: "[[destination]]\nname = \"my hook\"\nstdout = true\n", line: 2, problem: "not 1–64"
        ),
        Refusal(
            name: "zero concurrency", text: hookWithSecret + "concurrency = 0\n", line: 5, problem: "outside 1…256"),
        Refusal(
            name: "negative concurrency", text: hookWithSecret + "concurrency = -2\n", line: 5, problem: "outside 1…256"
        ),
        Refusal(
            name: "ordered with concurrency", text: hookWithSecret + "ordered = true\nconcurrency = 2\n", line: 6,
            problem: "ordered"),

        // Other values.
        Refusal(name: "unknown region", text: "[intercom]\nregion = \"de\"\n", line: 2, problem: "unknown region"),
        Refusal(
            name: "zero request budget", text: "[intercom]\nmax_requests_per_minute = 0\n", line: 2, problem: "outside"),
        Refusal(name: "empty api_version", text: "[intercom]\napi_version = \"\"\n", line: 2, problem: "empty"),
        Refusal(name: "bad metrics listen", text: "[metrics]\nlisten = \"9464\"\n", line: 2, problem: "host:port"),
        Refusal(
            name: "metrics port out of range", text: "[metrics]\nlisten = \"127.0.0.1:70000\"\n", line: 2,
            problem: "host:port"),
        Refusal(name: "unknown log level", text: "[log]\nlevel = \"verbose\"\n", line: 2, problem: "unknown log level"),

        // TOML syntax.
        Refusal(
            name: "unterminated string", text: "[poll]\n\ninterval = \"120s\nlookback = \"1m\"\n", line: 3,
            problem: "not valid TOML"),
        Refusal(
            name: "duplicate key", text: "[poll]\ninterval = \"1s\"\ninterval = \"2s\"\n", line: 3,
            problem: "not valid TOML"),
        Refusal(
            name: "windows line endings", text: "[poll]\r\n\r\ninterval = 120\r\n", line: 3,
            problem: "must be a duration"),
        Refusal(name: "missing value", text: "[log]\nlevel =\n", line: 2, problem: "not valid TOML"),
        Refusal(
            name: "start in the future", text: "[triggers]\nstart = \"2999-01-01T00:00:00Z\"\n", line: 2,
            problem: "later than now"),
        Refusal(
            name: "start in the future as a TOML date", text: "\n[triggers]\nstart = 2999-01-01T00:00:00Z\n", line: 3,
            problem: "later than now"),
    ]

    @Test(arguments: cases)
    func refused(_ refusal: Refusal) throws {
        try ConfigFixture.with { fixture in
            try fixture.write("good.secret", ConfigFixture.whsec + "\n")
            try fixture.write("bad.secret", "whsec_tooshort\n")
            try fixture.write("empty.token", "\n")
            try fixture.write("t", "token\n")
            guard let error = fixture.refusal(refusal.text, environment: refusal.environment) else {
                Issue.record("accepted: \(refusal.name)")
                return
            }
            #expect(error.file == fixture.file)
            #expect(error.line == refusal.line, "\(error)")
            #expect(error.problem.contains(refusal.problem), "\(error)")
            #expect(!error.fix.isEmpty)
            #expect(!error.description.contains("\n"))
            let place = refusal.line > 0 ? "\(fixture.file):\(refusal.line): " : "\(fixture.file): "
            #expect(error.description == "\(place)\(error.problem) (fix: \(error.fix))")
            // The secrets of the case never leak into the message.
            #expect(!error.description.contains(ConfigFixture.whsec))
            #expect(!error.description.contains(ConfigFixture.token))
        }
    }

    @Test(arguments: [
        "http://127.0.0.1:8080/hook", "http://127.1.2.3/hook", "http://localhost/hook", "http://LOCALHOST:9/x",
        "http://[::1]:8080/hook", "https://hooks.example.com/hook", "https://10.0.0.1/x",
    ])
    func plainHTTPIsAcceptedToLoopbackOnly(_ url: String) throws {
        let configuration = try ConfigFixture.with { fixture in
            try fixture.parse("[[destination]]\nname = \"a\"\nurl = \"\(url)\"\nsecret = \"\(ConfigFixture.whsec)\"\n")
        }
        guard case .webhook(let webhook) = configuration.destinations.first?.kind else {
            Issue.record("not a webhook")
            return
        }
        #expect(webhook.url.absoluteString == url)
    }

    @Test func fixesPointAtTheRightPlace() throws {
        try ConfigFixture.with { fixture in
            #expect(fixture.refusal("[intercom]\ninterval = \"1s\"\n")?.fix == "move it under [poll]")
            #expect(fixture.refusal("[poll]\nintervall = \"1s\"\n")?.fix == "did you mean `interval`?")
            #expect(fixture.refusal("[log]\nlevle = \"info\"\n")?.fix == "did you mean `level`?")
            #expect(fixture.refusal("[pol]\n")?.fix == "did you mean [poll]?")
            #expect(fixture.refusal("[poll]\ninterval = 120\n")?.fix == "write interval = \"120s\"")
            #expect(fixture.refusal("[poll]\ninterval = \"120\"\n")?.fix.hasPrefix("write \"120s\"") == true)
            let topic = fixture.refusal("[triggers]\ntopics = [\"contact.user.create\"]\n")
            #expect(topic?.fix.hasPrefix("did you mean \"contact.user.created\"?") == true)
        }
    }
}
