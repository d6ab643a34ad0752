import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct RetryPolicyTests {
    static let policy = RetryPolicy(
        maxAttempts: 6, baseDelay: .seconds(1), maxDelay: .seconds(10), jitter: .none)

    @Test(arguments: [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (9, 10.0), (200, 10.0)])
    func exponentialScheduleIsCapped(_ retry: Int, _ seconds: Double) {
        #expect(Self.policy.delay(beforeRetry: retry, unit: 0.7) == .milliseconds(Int64(seconds * 1000)))
    }

    @Test(arguments: [(0.0, 0), (0.5, 2000), (0.999, 3996)])
    func fullJitterScalesTheDelay(_ unit: Double, _ milliseconds: Int64) {
        var policy = Self.policy
        policy.jitter = .full
        #expect(policy.delay(beforeRetry: 3, unit: unit) == .milliseconds(milliseconds))
    }

    @Test(arguments: [(0.0, 3200), (0.5, 4000), (1.0, 4800)])
    func proportionalJitterStaysWithinTheBand(_ unit: Double, _ milliseconds: Int64) {
        var policy = Self.policy
        policy.jitter = .proportional(0.2)
        #expect(policy.delay(beforeRetry: 3, unit: unit) == .milliseconds(milliseconds))
    }

    @Test func seededScheduleIsReproducibleAndBounded() {
        var policy = Self.policy
        policy.jitter = .proportional(0.2)
        let first = SeededRandom(seed: 42)
        let second = SeededRandom(seed: 42)
        let schedule = (1...5).map { policy.delay(beforeRetry: $0, unit: first.next()) }
        #expect(schedule == (1...5).map { policy.delay(beforeRetry: $0, unit: second.next()) })
        for (index, delay) in schedule.enumerated() {
            let nominal = min(10, Double(1 << index))
            let seconds = RetryPolicy.seconds(delay)
            #expect(seconds >= nominal * 0.8 - 0.001 && seconds <= min(10, nominal * 1.2) + 0.001)
        }
        // Jitter actually varies the delays: the ratios to the nominal schedule differ.
        let ratios = schedule.enumerated().map { RetryPolicy.seconds($1) / min(10, Double(1 << $0)) }
        #expect(Set(ratios).count > 1)
    }
}
