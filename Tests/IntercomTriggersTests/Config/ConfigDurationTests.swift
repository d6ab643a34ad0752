import Testing

@testable import IntercomTriggers

@Suite struct ConfigDurationTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("120s", .seconds(120)), ("10m", .seconds(600)), ("2h", .seconds(7200)),
        ("7d", .seconds(604_800)), ("1.5h", .seconds(5400)), ("0s", .zero), ("0.25s", .milliseconds(250)),
        (" 15s ", .seconds(15)),
    ])
    func parses(_ text: String, _ expected: Duration) throws {
        #expect(try ConfigDuration.parse(text) == expected)
    }

    @Test(arguments: [
        ("120", "120s"), ("", "120s"), ("s", "120s"), ("5 m", "5m"), ("2 minutes", "2m"), ("1.5 hours", "1.5h"),
        ("30sec", "30s"), ("10x", "10s"), ("1h30m", "1s"), ("-5s", "120s"),
        ("1.2.3s", "120s"), (".5s", "120s"), ("5.s", "120s"), ("1e3s", "1s"), ("5M", "5m"), ("1 fortnight", "1s"),
        ("99999999d", "36500d"),
    ])
    func refuses(_ text: String, _ suggestion: String) {
        #expect(throws: ConfigDuration.Failure.self) { try ConfigDuration.parse(text) }
        do {
            _ = try ConfigDuration.parse(text)
        } catch {
            #expect(error.suggestion == suggestion)
            #expect(!error.problem.isEmpty)
        }
    }

    @Test(arguments: [
        (Duration.seconds(120), "2m"), (.seconds(15), "15s"), (.milliseconds(1500), "1500ms"),
        (.seconds(604_800), "7d"),
        (.seconds(5400), "90m"), (.zero, "0s"), (.seconds(36_000), "10h"),
    ])
    func formatsTheShortestExactSpelling(_ duration: Duration, _ text: String) throws {
        #expect(ConfigDuration.format(duration) == text)
        #expect(try ConfigDuration.parse(text) == duration)
    }

    @Test(arguments: [
        ("now", StartPoint.now, 1_700_000_000), ("beginning", .beginning, 0),
        ("24h", .ago(.seconds(86_400)), 1_699_913_600),
        ("2025-01-31T09:00:00Z", .at(1_738_314_000), 1_738_314_000),
        ("2025-01-31T10:00:00+01:00", .at(1_738_314_000), 1_738_314_000),
        ("2025-01-31T09:00:00.750Z", .at(1_738_314_000), 1_738_314_000),
    ])
    func startPoints(_ text: String, _ expected: StartPoint, _ resolved: Int) {
        let start = StartPoint(parsing: text)
        #expect(start == expected)
        #expect(start?.resolve(now: 1_700_000_000) == resolved)
    }

    @Test(arguments: ["", "today", "2025-01-31", "2025-01-31T09:00:00", "24", "Now"])
    func notStartPoints(_ text: String) {
        #expect(StartPoint(parsing: text) == nil)
    }

    @Test func startPointsRoundTrip() {
        for start in [StartPoint.now, .beginning, .ago(.seconds(3600)), .at(1_738_314_000)] {
            #expect(StartPoint(parsing: start.description) == start)
        }
        #expect(StartPoint.ago(.seconds(10)).resolve(now: 5) == 0)
    }
}
