import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// The lookback counts from the start of the last completed pass: a version that becomes searchable up to
/// `lookback` after its timestamp fires whatever the gap to the next pass (a long interval, failure backoff,
/// a restart, downtime).
@Suite struct LookbackAnchorTests {
    static let t0 = PassCorrectnessTests.base + 43_200

    /// Poll times after `t0` (a `nil` restarts the daemon: the store is closed and opened again).
    @Test(
        arguments: [
            [40, 2_000],  // downtime far longer than the lookback
            [40, 640, 1_240],  // an interval longer than the lookback
            [40, 100, nil, 3_700],  // a restart, then an hour of failure backoff
            [40, 100, 160, 220, 280, 340, 400, 460, 520, 580, 640, 700],  // the interval, steadily
        ] as [[Int?]])
    func aVersionIndexedLateButWithinTheLookbackFiresOnceWhateverTheGap(schedule: [Int?]) async throws {
        let t0 = Self.t0
        try await TriggerHarness.run(at: t0) { h in
            h.advance(to: t0 + 10)
            // Searchable 590 s after its timestamp: just inside the 600 s lookback.
            let late = try h.workspace.createContact(role: "lead", email: "late@example.com", indexLag: 590)
            h.advance(to: t0 + 30)
            let early = try h.workspace.createContact(role: "user", email: "early@example.com")
            for time in schedule {
                guard let time else {
                    try h.restart()
                    continue
                }
                h.advance(to: t0 + time)
                try await h.poll()
            }
            let fired = try await h.fired()
            #expect(
                fired.filter { $0 == PassCorrectnessTests.key("contact.lead.created", late.id, t0 + 10) }.count == 1)
            #expect(
                fired.filter { $0 == PassCorrectnessTests.key("contact.user.created", early.id, t0 + 30) }.count == 1)
            #expect(fired.count == 2)
        }
    }

    @Test func theLastPassStartIsCommittedWithTheWatermarkAndSurvivesARestart() async throws {
        let t0 = Self.t0
        try await TriggerHarness.run(at: t0) { h in
            #expect(try await h.store.topicStates().allSatisfy { $0.lastPassStart == nil })
            h.advance(to: t0 + 50)
            try await h.poll()  // nothing to read: the watermark stays, the pass still counts
            try h.restart()
            let states = try await h.store.topicStates()
            #expect(states.allSatisfy { $0.lastPassStart == t0 + 50 && $0.watermark == t0 })
            #expect(states.allSatisfy { $0.horizon(now: t0 + 5_000, lookback: 600) == t0 - 550 })
        }
    }

    @Test(arguments: [(Int.min, 600, Int.min), (-100, Int.max, Int.min), (Int.max, 1, Int.max - 1)])
    func theHorizonSaturates(passStart: Int, lookback: Int, expected: Int) {
        #expect(TopicWindow.horizon(watermark: .max, passStart: passStart, lookback: lookback) == expected)
    }
}
