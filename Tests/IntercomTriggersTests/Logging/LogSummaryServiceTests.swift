import Foundation
import IntercomTriggersTesting
import Logging
import ServiceLifecycle
import Testing

@testable import IntercomTriggers

@Suite struct LogSummaryServiceTests {
    typealias Summary = LogSummaryService.Summary

    static let start = Date(timeIntervalSince1970: 1_763_716_800)

    /// A snapshot after some work: 10 cycles (1 failed), events, deliveries to two destinations, requests.
    static var before: DaemonTelemetry.Snapshot {
        var snapshot = DaemonTelemetry.Snapshot()
        snapshot.pollCycles = 10
        snapshot.pollFailures = 1
        snapshot.eventsByTopic = ["contact.user.created": 4]
        snapshot.deliveries = ["crm": ["delivered": 4]]
        snapshot.intercomRequests = ["200": 20, "429": 1]
        snapshot.rateLimitWaits = 1
        snapshot.rateLimitWaited = .seconds(2)
        snapshot.lastSuccessfulPoll = start
        return snapshot
    }

    @Test func theLineTellsTheDifferencesSinceThePreviousSnapshot() {
        var after = Self.before
        after.pollCycles = 40
        after.pollFailures = 3
        after.eventsByTopic = ["contact.user.created": 9, "contact.lead.created": 2]
        after.deliveries = [
            "crm": ["delivered": 10, "failed": 2, "throttled": 1, "dead_letter": 1],
            "console": ["delivered": 7],
        ]
        after.intercomRequests = ["200": 50, "429": 3, "error": 1]
        after.rateLimitWaits = 4
        after.rateLimitWaited = .seconds(92)
        after.lastSuccessfulPoll = Self.start.addingTimeInterval(3_555)
        let summary = Summary(
            from: Self.before, to: after, period: 3_600, now: Self.start.addingTimeInterval(3_600),
            destinations: ["crm", "console", "idle"], queueDepth: ["crm": 3])
        #expect(summary.polls == 30)
        #expect(summary.pollsFailed == 2)
        #expect(summary.events == 7)
        #expect(summary.intercomRequests == 33)
        #expect(summary.intercomRateLimited == 2)
        #expect(
            summary.text
                == "summary of the last 1h: 30 polls (2 failed), last successful 45s ago; "
                + "7 events (contact.lead.created 2, contact.user.created 5); "
                + "console 7 delivered, 0 failed, 0 dead letters, 0 queued; "
                + "crm 6 delivered, 3 failed, 1 dead letters, 3 queued; "
                + "idle 0 delivered, 0 failed, 0 dead letters, 0 queued; "
                + "Intercom 33 requests, 2 answered 429, 3 rate-limit waits (1m30s in all)")
    }

    @Test func withSeveralWorkspacesTheLineNamesThoseFailing() {
        var after = Self.before
        after.pollCycles = 16
        after.pollFailures = 3
        after.workspacePolls = [
            "acme": .init(lastSuccess: Self.start, failuresInARow: 0),
            "zeta": .init(lastSuccess: nil, failuresInARow: 2, lastError: "401"),
            "beta": .init(lastSuccess: Self.start, failuresInARow: 1, lastError: "timed out"),
        ]
        let summary = Summary(
            from: Self.before, to: after, period: 60, now: Self.start.addingTimeInterval(60), destinations: [],
            queueDepth: [:])
        #expect(
            summary.text
                == "summary of the last 1m: 6 polls (2 failed), last successful 1m ago, "
                + "2 of 3 workspaces failing (beta, zeta); 0 events; crm 0 delivered, 0 failed, 0 dead letters, 0 queued; "
                + "Intercom 0 requests, 0 answered 429, 0 rate-limit waits")
        // Many failing: the first few by name, the rest counted.
        after.workspacePolls = Dictionary(
            uniqueKeysWithValues: (1...8).map { ("ws-\($0)", .init(lastSuccess: nil, failuresInARow: 1)) })
        let many = Summary(
            from: Self.before, to: after, period: 60, now: Self.start, destinations: [], queueDepth: [:])
        #expect(many.text.contains(", 8 of 8 workspaces failing (ws-1, ws-2, ws-3, ws-4, ws-5 and 3 more);"))
        // Every one failing: the daemon-wide count (the fewest in a row) said once, with the workspaces.
        after.consecutivePollFailures = 2
        let all = Summary(
            from: Self.before, to: after, period: 60, now: Self.start, destinations: [], queueDepth: [:])
        #expect(
            all.text.contains(
                ", 8 of 8 workspaces failing (ws-1, ws-2, ws-3, ws-4, ws-5 and 3 more), each for 2 or more cycles in a row;"
            ))
        #expect(!all.text.contains("failing (2 in a row)"))
        // One workspace: its failures are the daemon's, told as before.
        after.workspacePolls = ["default": .init(lastSuccess: nil, failuresInARow: 1)]
        let one = Summary(from: Self.before, to: after, period: 60, now: Self.start, destinations: [], queueDepth: [:])
        #expect(!one.text.contains("workspaces"))
    }

    @Test func aQuietPeriodStillSaysTheDaemonIsAliveAndWhatIsUnknown() {
        var failing = Self.before
        failing.pollCycles = 12
        failing.pollFailures = 3
        failing.consecutivePollFailures = 2
        failing.deliveries["crm"]?["disabled"] = 1
        let summary = Summary(
            from: Self.before, to: failing, period: 600, now: Self.start.addingTimeInterval(7_200),
            destinations: ["crm"], queueDepth: nil)
        #expect(
            summary.text
                == "summary of the last 10m: 2 polls (2 failed), last successful 2h ago, failing (2 in a row); 0 events; "
                + "crm 0 delivered, 0 failed, 0 dead letters, disabled (410), queue unknown; "
                + "Intercom 0 requests, 0 answered 429, 0 rate-limit waits")
        let never = Summary(
            from: .init(), to: .init(), period: 5, now: Self.start, destinations: [], queueDepth: [:])
        #expect(
            never.text
                == "summary of the last 5s: 0 polls (0 failed), no successful poll yet; 0 events; "
                + "Intercom 0 requests, 0 answered 429, 0 rate-limit waits")
    }

    @Test(arguments: [
        (0, "0s"), (45, "45s"), (60, "1m"), (125, "2m5s"), (3_600, "1h"), (3_605, "1h"), (5_400, "1h30m"),
        (86_400, "1d"), (97_200, "1d3h"),
    ])
    func agesUseAtMostTwoUnits(_ seconds: Int, _ text: String) {
        #expect(Summary.age(seconds) == text)
    }

    @Test func theServiceLogsOneLinePerIntervalAndALastOneAtShutdown() async throws {
        let clock = ManualWallClock(now: Self.start)
        let telemetry = DaemonTelemetry(clock: clock)
        let lines = LogLines()
        let service = LogSummaryService(
            telemetry: telemetry, interval: .seconds(3_600), destinations: ["crm"], queueDepth: { ["crm": 2] },
            clock: clock, logger: lines.logger(format: .journal))
        #expect("\(service)" == "LogSummaryService(every 1h)")
        let group = ServiceGroup(
            configuration: .init(services: [service], logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually("the service sleeps") { clock.sleeperCount == 1 }
            #expect(lines.all.isEmpty)

            telemetry.pollFinished(duration: .seconds(1), error: nil)
            telemetry.eventsQueued(topic: "contact.user.created", count: 3)
            telemetry.deliveries(destination: "crm", outcome: .delivered, count: 3)
            clock.advance(by: 1_800)
            #expect(clock.sleeperCount == 1)  // not yet
            clock.advance(by: 1_800)
            try await eventually("the first summary") { lines.all.count == 1 }
            #expect(
                lines.all[0]
                    == "<6>intercom-triggerd: summary of the last 1h: 1 polls (0 failed), last successful 1h ago; "
                    + "3 events (contact.user.created 3); crm 3 delivered, 0 failed, 0 dead letters, 2 queued; "
                    + "Intercom 0 requests, 0 answered 429, 0 rate-limit waits")

            try await eventually("the service sleeps again") { clock.sleeperCount == 1 }
            telemetry.pollFinished(duration: .seconds(1), error: IntercomError.invalidResponse("x"))
            clock.advance(by: 3_600)
            try await eventually("the second summary") { lines.all.count == 2 }
            #expect(lines.all[1].contains("summary of the last 1h: 1 polls (1 failed)"))
            #expect(lines.all[1].contains("0 events; crm 0 delivered"))

            try await eventually("the service sleeps a third time") { clock.sleeperCount == 1 }
            clock.advance(by: 600)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(lines.all.count == 3)
        #expect(lines.all.last?.hasPrefix("<6>intercom-triggerd: summary of the last 10m: 0 polls (0 failed)") == true)
    }

    @Test func theDaemonHasASummaryServiceOnItsConfiguredInterval() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let configuration = DaemonConfiguration(
            intercom: .init(accessToken: Secret("token", source: .inline(key: "access_token"))),
            store: .init(path: files.path), log: .init(level: .info, summaryInterval: .seconds(900)))
        let daemon = try await Daemon.build(configuration: configuration, logger: DeliveryFixture.quiet)
        defer { try? daemon.store.close() }
        #expect(daemon.generationServices.contains { $0 is LogSummaryService })
        #expect(daemon.services.contains { $0 is LogSummaryService })
    }

}
