import Testing

@testable import IntercomTriggers

/// Header names match without regard to ASCII case, and only then.
@Suite struct HTTPHeaderNameTests {
    @Test(arguments: [
        ("Date", "date", true), ("RETRY-AFTER", "Retry-After", true), ("x-ratelimit-reset", "X-RateLimit-Reset", true),
        ("Date", "Dates", false), ("Date", "Data", false), ("", "", true), ("a", "", false),
        // Only letters fold: '@' (0x40) and '`' (0x60) differ by the same bit as a letter's case.
        ("X@", "X`", false), ("Ä", "ä", false), ("Ä", "Ä", true),
    ])
    func namesMatchIgnoringASCIICaseOnly(a: String, b: String, equal: Bool) {
        #expect(HTTPHeaderName.equal(a, b) == equal)
        #expect(HTTPHeaderName.equal(b, a) == equal)
    }

    @Test func aResponseFindsItsHeaderInAnyCase() {
        let response = HTTPResponse(status: 200, headers: [("Content-Type", "a"), ("DATE", "b"), ("date", "c")])
        #expect(response.header("date") == "b")
        #expect(response.header("content-TYPE") == "a")
        #expect(response.header("content-length") == nil)
    }
}
