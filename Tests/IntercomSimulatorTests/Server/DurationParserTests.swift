import IntercomSimulator
import Testing

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("0", 0.0), ("250ms", 0.25), ("30s", 30), ("1.5m", 90), ("2h", 7200), ("1d", 86400), (" 5s ", 5),
    ])
    func readsDurationsWithUnits(text: String, seconds: Double) throws {
        let duration = try #require(DurationParser.parse(text))
        #expect(abs(DurationParser.seconds(duration) - seconds) < 1e-9)
    }

    @Test(arguments: ["", "30", "s", "-5s", "5 s", "fast", "1e3s", "5sec", "1.2.3s", "nans"])
    func refusesAnythingElse(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }
}
