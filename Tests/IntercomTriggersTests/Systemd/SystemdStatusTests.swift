import Foundation
import Testing

@testable import IntercomTriggers

/// The `STATUS=` line: last poll, queue depth, failing destinations and stalled loops.
@Suite struct SystemdStatusTests {
    static let now = Date(timeIntervalSince1970: 1_763_716_800)  // 2025-11-21T09:20:00Z
    static let limit = Duration.seconds(300)

    static func delivery(
        queue: [String: Int]? = [:], lanes: [LaneStatus] = [LaneStatus(destination: "stdout", state: .running)],
        disabled: Set<String> = []
    ) -> SystemdStatus.Delivery {
        SystemdStatus.Delivery(queue: queue, lanes: lanes, disabled: disabled)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var snapshot: DaemonTelemetry.Snapshot
        var delivery: SystemdStatus.Delivery
        var expected: String
        var testDescription: String { name }
    }

    static var cases: [Case] {
        var polled = DaemonTelemetry.Snapshot()
        polled.pollCycles = 3
        polled.lastSuccessfulPoll = now.addingTimeInterval(-12)
        polled.lastPollDuration = .milliseconds(420)

        var failing = polled
        failing.lastPollError = "unauthorized: Access Token Invalid\nsecond line\u{1B}[2J"
        failing.consecutivePollFailures = 2

        var neverOK = DaemonTelemetry.Snapshot()
        neverOK.pollCycles = 1
        neverOK.lastPollError = "connection refused"
        neverOK.consecutivePollFailures = 1

        var stalled = polled
        stalled.loops = [
            "poller": .working(lastProgress: now.addingTimeInterval(-370)),
            "lane crm": .working(lastProgress: now.addingTimeInterval(-10)), "lane stdout": .waiting,
        ]
        var oneOfTwoFailing = polled
        oneOfTwoFailing.workspacePolls = [
            "acme": .init(lastSuccess: now.addingTimeInterval(-12)),
            "beta": .init(lastSuccess: nil, failuresInARow: 3, lastError: "unauthorized"),
        ]
        var bothFailing = oneOfTwoFailing
        bothFailing.workspacePolls["acme"]?.failuresInARow = 1
        bothFailing.lastPollError = "workspace acme: timed out"
        bothFailing.consecutivePollFailures = 1

        let lanes = [
            LaneStatus(destination: "crm", state: .throttled(until: 0)),
            LaneStatus(destination: "stdout", state: .running),
            LaneStatus(destination: "old", state: .stopped(reason: "EPIPE")),
        ]
        return [
            Case(
                name: "before the first poll", snapshot: .init(), delivery: delivery(),
                expected: "first poll running; queue 0"),
            Case(
                name: "a poll went well", snapshot: polled, delivery: delivery(queue: ["stdout": 7]),
                expected: "last poll ok at 2025-11-21T09:19:48Z in 0.4s; queue 7"),
            Case(
                name: "polls fail (one line, however many the error has, no control characters)", snapshot: failing,
                delivery: delivery(),
                expected: "poll failing (2 in a row, last ok 2025-11-21T09:19:48Z): unauthorized: Access Token Invalid "
                    + #"second line\u{1b}[2J; queue 0"#),
            Case(
                name: "never polled successfully", snapshot: neverOK, delivery: delivery(queue: nil),
                expected:
                    "poll failing (1 in a row, last ok never): connection refused; queue unknown (store unreadable)"),
            Case(
                name: "several workspaces, one failing: the daemon polls, and names it", snapshot: oneOfTwoFailing,
                delivery: delivery(),
                expected: "last poll ok at 2025-11-21T09:19:48Z in 0.4s; 1 of 2 workspaces failing (beta); queue 0"),
            Case(
                name: "several workspaces, all failing: the daemon's failure, as with one", snapshot: bothFailing,
                delivery: delivery(),
                expected: "poll failing (1 in a row, last ok 2025-11-21T09:19:48Z): workspace acme: timed out; queue 0"),
            Case(
                name: "a stalled poller is named first", snapshot: stalled, delivery: delivery(),
                expected:
                    "STALLED: poller (no progress for 6m10s); last poll ok at 2025-11-21T09:19:48Z in 0.4s; queue 0"),
            Case(
                name: "several destinations: queue per destination and the failing ones", snapshot: polled,
                delivery: delivery(queue: ["crm": 40, "old": 2], lanes: lanes, disabled: ["gone"]),
                expected: "last poll ok at 2025-11-21T09:19:48Z in 0.4s; queue 42 (crm 40, stdout 0, old 2); "
                    + "failing: crm (throttled), old (stopped), gone (disabled)"),
        ]
    }

    @Test(arguments: cases)
    func theLineSaysWhatIsGoingOn(_ example: Case) {
        var status = SystemdStatus()
        let line = status.line(
            snapshot: example.snapshot, delivery: example.delivery, now: Self.now, stallLimit: Self.limit)
        #expect(line == example.expected)
        #expect(!line.contains("\n"))
    }

    @Test func aDestinationIsFailingFromAFailedAttemptUntilTheNextDelivery() {
        var status = SystemdStatus()
        var snapshot = DaemonTelemetry.Snapshot()
        let lanes = [LaneStatus(destination: "crm", state: .running)]
        func line() -> String {
            status.line(
                snapshot: snapshot, delivery: Self.delivery(lanes: lanes), now: Self.now, stallLimit: Self.limit)
        }
        snapshot.deliveries = ["crm": ["delivered": 5]]
        #expect(!line().contains("failing"))
        snapshot.deliveries = ["crm": ["delivered": 5, "failed": 1]]
        #expect(line().hasSuffix("; failing: crm"))
        // Nothing new happens: still failing (its row waits for a retry).
        #expect(line().hasSuffix("; failing: crm"))
        snapshot.deliveries = ["crm": ["delivered": 6, "failed": 1]]
        #expect(!line().contains("failing"))
    }

    @Test func aVeryLongLineIsCut() {
        var snapshot = DaemonTelemetry.Snapshot()
        snapshot.lastPollError = String(repeating: "x", count: 1_000)
        let lanes = (0..<60).map { LaneStatus(destination: "destination-\($0)", state: .stopped(reason: "gone")) }
        var status = SystemdStatus()
        let line = status.line(
            snapshot: snapshot, delivery: Self.delivery(lanes: lanes), now: Self.now, stallLimit: Self.limit)
        #expect(line.count == SystemdStatus.maximumLength)
        #expect(line.hasSuffix("…"))
    }

    @Test(arguments: [(0.42, "0.4s"), (9.96, "10.0s"), (42, "42s"), (370, "6m10s"), (7_500, "2h05m")])
    func durationsAreShort(seconds: Double, spoken: String) {
        #expect(SystemdStatus.spoken(seconds) == spoken)
    }
}
