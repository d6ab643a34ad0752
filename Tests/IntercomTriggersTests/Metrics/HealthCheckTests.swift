import Foundation
import Testing

@testable import IntercomTriggers

/// The `/healthz` rules as a table: figures in, reasons out.
@Suite struct HealthCheckTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let nowSeconds = 1_800_000_000

    /// One row: the figures, and the reasons expected (empty: 200 ok).
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var interval: Duration = .seconds(120)
        /// Seconds before now that the daemon started.
        var startedAgo: Double = 3_600
        /// Seconds before now of the last successful poll; nil: none yet.
        var lastSuccessAgo: Double? = 60
        var lastError: String?
        var failures = 0
        /// The poller's loop: nil waiting, else seconds since its last progress.
        var pollerProgressAgo: Double?
        /// The lane of `crm`: its state, and seconds since its last progress when working.
        var lane: LaneStatus.State = .running
        var laneProgressAgo: Double?
        var storeDisabled: String?
        var oldestPendingAgo: Int?
        var expected: [String]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "healthy", expected: []),
        Case(name: "no poll yet, within the deadline", startedAgo: 120, lastSuccessAgo: nil, expected: []),
        Case(
            name: "no poll since a start 8 minutes ago", startedAgo: 480, lastSuccessAgo: nil,
            lastError: "Intercom rejected the access token (401): Unauthorized", failures: 2,
            expected: [
                "polling overdue: no successful poll since the start 8m ago (limit 7m); last error: Intercom rejected "
                    + "the access token (401): Unauthorized"
            ]),
        Case(
            name: "a long first backfill still reading pages", startedAgo: 3_600, lastSuccessAgo: nil,
            pollerProgressAgo: 5, expected: []),
        Case(name: "last success 7 minutes ago: at the limit", lastSuccessAgo: 420, expected: []),
        Case(
            name: "last success 7 minutes 1 second ago", lastSuccessAgo: 421,
            expected: ["polling overdue: last successful poll 7m ago (limit 7m)"]),
        Case(
            name: "a long interval: the deadline is 3 intervals", interval: .seconds(3_600), lastSuccessAgo: 7_200,
            expected: []),
        Case(
            name: "a long interval past 3 intervals", interval: .seconds(3_600), lastSuccessAgo: 10_900,
            expected: ["polling overdue: last successful poll 3h ago (limit 3h)"]),
        Case(name: "two failures in a row", lastError: "Intercom answered 500", failures: 2, expected: []),
        Case(
            name: "three failures in a row", lastSuccessAgo: 300, lastError: "Intercom answered 500", failures: 3,
            expected: ["polling failing: 3 cycles in a row ended in an error; last error: Intercom answered 500"]),
        Case(
            name: "a wedged poller", lastSuccessAgo: 400, pollerProgressAgo: 360,
            expected: ["poller stalled: no progress for 6m (stall limit 5m)"]),
        Case(
            name: "a wedged poller past the poll deadline", lastSuccessAgo: 900, pollerProgressAgo: 360,
            expected: [
                "polling overdue: last successful poll 15m ago (limit 7m)",
                "poller stalled: no progress for 6m (stall limit 5m)",
            ]),
        Case(name: "a poller busy within the stall limit", pollerProgressAgo: 299, expected: []),
        Case(
            name: "a wedged lane", lane: .running, laneProgressAgo: 600,
            expected: ["lane crm stalled: no progress for 10m (stall limit 5m)"]),
        Case(
            name: "disabled in the store", storeDisabled: "410 Gone",
            expected: ["destination crm disabled: 410 Gone"]),
        Case(
            name: "disabled as the lane saw it", lane: .disabled(reason: "410 Gone"),
            expected: ["destination crm disabled: 410 Gone"]),
        Case(
            name: "disabled in both: one line", lane: .disabled(reason: "410 Gone"), storeDisabled: "410 Gone",
            expected: ["destination crm disabled: 410 Gone"]),
        Case(
            name: "a stopped lane", lane: .stopped(reason: "stdout closed"),
            expected: ["destination crm stopped: stdout closed"]),
        Case(
            name: "throttled, queue fresh", lane: .throttled(until: nowSeconds + 60), oldestPendingAgo: 600,
            expected: []),
        Case(name: "oldest queued an hour ago: at the limit", oldestPendingAgo: 3_600, expected: []),
        Case(
            name: "oldest queued two hours ago", oldestPendingAgo: 7_200,
            expected: ["destination crm behind: oldest queued event waiting 2h (limit 60m)"]),
        Case(
            name: "everything at once", startedAgo: 86_400, lastSuccessAgo: 3_600, lastError: "timed out",
            failures: 5, pollerProgressAgo: nil, lane: .disabled(reason: nil), oldestPendingAgo: 90_000,
            expected: [
                "polling overdue: last successful poll 60m ago (limit 7m); last error: timed out",
                "polling failing: 5 cycles in a row ended in an error; last error: timed out",
                "destination crm disabled: no reason given",
                "destination crm behind: oldest queued event waiting 25h (limit 60m)",
            ]),
    ]

    @Test(arguments: cases)
    func rule(_ row: Case) {
        var snapshot = DaemonTelemetry.Snapshot()
        snapshot.lastSuccessfulPoll = row.lastSuccessAgo.map { Self.now.addingTimeInterval(-$0) }
        snapshot.lastPollError = row.lastError
        snapshot.consecutivePollFailures = row.failures
        snapshot.loops[PollerService.loopName] =
            row.pollerProgressAgo.map { .working(lastProgress: Self.now.addingTimeInterval(-$0)) } ?? .waiting
        snapshot.loops["lane crm"] =
            row.laneProgressAgo.map { .working(lastProgress: Self.now.addingTimeInterval(-$0)) } ?? .waiting
        let destination = StatusReport.DestinationStatus(
            name: "crm", pending: row.oldestPendingAgo == nil ? 0 : 1, dead: 7, disabled: row.storeDisabled != nil,
            disabledReason: row.storeDisabled,
            oldestPendingDetectedAt: row.oldestPendingAgo.map { Self.nowSeconds - $0 },
            lastDeliveredAt: nil)
        let check = HealthCheck(pollInterval: row.interval, stallLimit: .seconds(300))
        let verdict = check.evaluate(
            now: Self.now, startedAt: Self.now.addingTimeInterval(-row.startedAgo), snapshot: snapshot,
            lanes: [LaneStatus(destination: "crm", state: row.lane)], destinations: [destination])
        #expect(verdict.reasons == row.expected)
        #expect(verdict.statusCode == (row.expected.isEmpty ? 200 : 503))
        #expect(verdict.body == (row.expected.isEmpty ? "ok\n" : row.expected.joined(separator: "\n") + "\n"))
    }

    @Test(arguments: [(60, 360), (120, 420), (150, 450), (300, 900), (3_600, 10_800)])
    func thePollDeadlineIsTheLargerOfThreeIntervalsAndIntervalPlusFiveMinutes(interval: Int, deadline: Int) {
        #expect(
            HealthCheck(pollInterval: .seconds(interval), stallLimit: .seconds(300)).pollDeadline == .seconds(deadline))
    }

    @Test func theConfigurationGivesTheIntervalAndStallLimit() {
        let configuration = DaemonConfiguration(
            intercom: .init(accessToken: Secret("t", source: .inline(key: "access_token"))),
            poll: .init(interval: .seconds(30)), service: .init(stallLimit: .seconds(90)))
        let check = HealthCheck(configuration: configuration)
        #expect(check.pollInterval == .seconds(30))
        #expect(check.stallLimit == .seconds(90))
        #expect(check.pendingAgeLimit == .seconds(3_600))
        #expect(check.failureLimit == 3)
    }
}
