import Testing

@testable import IntercomTriggers

@Suite struct JitteredRetryScheduleTests {
    /// DESIGN §7: after failed attempt n, the nominal wait (seconds); attempt 8 has none — a dead letter.
    static let table: [(attempt: Int, seconds: Int?)] = [
        (1, 5), (2, 300), (3, 1_800), (4, 7_200), (5, 18_000), (6, 36_000), (7, 36_000), (8, nil), (9, nil),
    ]

    @Test(arguments: table) func theDefaultScheduleWithoutJitter(attempt: Int, seconds: Int?) {
        let schedule = JitteredRetrySchedule(random: { 0.5 })
        #expect(schedule.delay(afterFailedAttempt: attempt) == seconds.map { .seconds($0) })
    }

    @Test(arguments: table.filter { $0.seconds != nil })
    func jitterStaysWithinTwentyPercent(attempt: Int, seconds: Int?) throws {
        let nominal = Double(try #require(seconds))
        let low = JitteredRetrySchedule(random: { 0 }).delay(afterFailedAttempt: attempt)
        let high = JitteredRetrySchedule(random: { 0.999_999 }).delay(afterFailedAttempt: attempt)
        #expect(low == .seconds(nominal * 0.8))
        let highSeconds = try #require(high.map(Self.seconds))
        #expect(highSeconds > nominal * 1.199 && highSeconds <= nominal * 1.2)
        // The real generator stays inside the same bounds.
        let schedule = JitteredRetrySchedule()
        for _ in 0..<200 {
            let delay = try #require(schedule.delay(afterFailedAttempt: attempt).map(Self.seconds))
            #expect(delay >= nominal * 0.8 && delay <= nominal * 1.2)
        }
    }

    @Test func aConfiguredScheduleEndsAfterItsLastDelay() {
        let schedule = JitteredRetrySchedule(delays: [.seconds(1), .seconds(2)], random: { 0.5 })
        #expect(schedule.delay(afterFailedAttempt: 1) == .seconds(1))
        #expect(schedule.delay(afterFailedAttempt: 2) == .seconds(2))
        #expect(schedule.delay(afterFailedAttempt: 3) == nil)
        #expect(JitteredRetrySchedule(delays: []).delay(afterFailedAttempt: 1) == nil)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
