import Testing

@testable import IntercomTriggers

@Suite struct ConfigSourceMapTests {
    static let document = """
        # comment = not a key
        top = 1
        [intercom]
        region = "us"  # trailing [comment
        "api_version" = "2.16"

        [[destination]]
        name = "a"
        topics = [
          "contact.lead.created",  # ]
          "contact.user.created",
        ]
        note = \"\"\"
        fake = "not a key"
        [poll]
        \"\"\"
        url = "https://a.example/"

        [[ destination ]]
        name = "b"
        inline = { timeout = "1s", nested = [1, 2] }
        stdout = true
        [poll]
        a.b = 1
        'literal key' = 'x'
        """

    @Test(arguments: [
        ("top", 2), ("intercom", 3), ("intercom.region", 4), ("intercom.api_version", 5), ("destination[0]", 7),
        ("destination[0].name", 8), ("destination[0].topics", 9), ("destination[0].note", 13),
        ("destination[0].url", 17), ("destination[1]", 19), ("destination[1].name", 20),
        ("destination[1].inline", 21), ("destination[1].inline.timeout", 21), ("destination[1].stdout", 22),
        ("poll", 23), ("poll.a.b", 24), ("poll.literal key", 25), ("poll.missing", 23), ("missing", 0),
        ("destination[0].fake", 7), ("destination[2].name", 0),
    ])
    func lines(_ path: String, _ line: Int) {
        #expect(ConfigSourceMap(text: Self.document).line(of: path) == line)
    }

    @Test func literalsInMultiLineValues() {
        let map = ConfigSourceMap(text: Self.document)
        #expect(map.line(of: "destination[0].topics", literal: "contact.user.created") == 11)
        #expect(map.line(of: "destination[0].topics", literal: "contact.lead.created") == 10)
        #expect(map.line(of: "destination[0].topics", literal: "absent") == 9)
    }

    @Test func windowsLineEndings() {
        let map = ConfigSourceMap(text: "[poll]\r\ninterval = 1\r\n\r\n[log]\r\nlevel = 2\r\n")
        #expect(map.line(of: "poll.interval") == 2)
        #expect(map.line(of: "log.level") == 5)
    }
}
