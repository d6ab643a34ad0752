import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import ServiceLifecycle
import Testing

@testable import IntercomTriggers

/// What the notify service sends when, driven by a manual clock: READY first, a ping per tick while the loops
/// move, none while one is stalled, STATUS on change, STOPPING at graceful shutdown.
@Suite struct SystemdNotifyServiceTests {
    /// The service under test on a manual clock, run in a service group.
    struct Rig {
        let clock = ManualWallClock()
        let notifier = RecordingNotifier()
        let telemetry: DaemonTelemetry
        let service: SystemdNotifyService

        init(watchdog: Duration?) {
            telemetry = DaemonTelemetry(clock: clock)
            service = SystemdNotifyService(
                notifier: notifier, telemetry: telemetry, clock: clock, stallLimit: .seconds(30),
                watchdogInterval: watchdog, statusInterval: .seconds(10),
                delivery: { SystemdStatus.Delivery(queue: ["stdout": 0], lanes: [], disabled: []) },
                logger: DeliveryFixture.quiet)
        }

        /// Runs the service while `body` runs, then shuts it down gracefully.
        func running(_ body: () async throws -> Void) async throws {
            let group = ServiceGroup(
                configuration: .init(services: [service], gracefulShutdownSignals: [], logger: DeliveryFixture.quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    try await body()
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        /// Waits until the service sleeps, moves the clock `seconds` on and answers what that tick sent.
        func tick(_ seconds: Double = 1) async throws -> String? {
            try await eventually("the service sleeps") { clock.sleeperCount == 1 }
            let before = notifier.messages.count
            clock.advance(by: seconds)
            // `advance` took the sleeper out at once: the tick has run when the service sleeps again.
            try await eventually("the service sleeps again") { clock.sleeperCount == 1 }
            let messages = notifier.messages
            #expect(messages.count <= before + 1)
            return messages.count > before ? messages.last : nil
        }

    }

    @Test(.timeLimit(.minutes(1)))
    func pingsWhileLoopsMoveStopWhileOneIsStalledAndStoppingEndsIt() async throws {
        let rig = Rig(watchdog: .seconds(1))
        try await rig.running {
            try await eventually("READY") { !rig.notifier.messages.isEmpty }
            #expect(rig.notifier.messages == ["READY=1\nSTATUS=first poll running; queue 0"])
            rig.telemetry.progress(PollerService.loopName)
            #expect(try await rig.tick() == "WATCHDOG=1")

            rig.telemetry.pollFinished(duration: .milliseconds(100), error: nil)
            rig.telemetry.progress(PollerService.loopName)
            let polled = try #require(try await rig.tick())
            #expect(polled.hasPrefix("WATCHDOG=1\nSTATUS=last poll ok at "))
            #expect(polled.hasSuffix(" in 0.1s; queue 0"))

            // Working without progress since the last tick: fine up to the stall limit (30 s), then no more pings.
            #expect(try await rig.tick(29) == "WATCHDOG=1")
            let stalled = try #require(try await rig.tick(2))
            #expect(stalled.notifyValue("WATCHDOG") == nil)
            #expect(
                stalled.notifyValue("STATUS")?.hasPrefix("STALLED: poller (no progress for 32s); last poll ok") == true)
            let still = try #require(try await rig.tick())
            #expect(still.notifyValue("WATCHDOG") == nil)
            #expect(still.notifyValue("STATUS")?.hasPrefix("STALLED: poller (no progress for 33s)") == true)

            // Progress again: pings resume and the status drops the stall.
            rig.telemetry.progress(PollerService.loopName)
            let moving = try #require(try await rig.tick())
            #expect(moving.hasPrefix("WATCHDOG=1\nSTATUS=last poll ok"))
            rig.telemetry.waiting(PollerService.loopName)
            // Waiting is healthy however long it lasts.
            #expect(try await rig.tick(600) == "WATCHDOG=1")
        }
        #expect(rig.notifier.messages.last == "STOPPING=1\nSTATUS=stopping")
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutAWatchdogOnlyChangesAreSent() async throws {
        let rig = Rig(watchdog: nil)
        try await rig.running {
            try await eventually("READY") { !rig.notifier.messages.isEmpty }
            #expect(try await rig.tick(10) == nil)
            rig.telemetry.pollFinished(duration: .seconds(2), error: IntercomError.invalidResponse("garbled"))
            let failed = try #require(try await rig.tick(10))
            #expect(failed.hasPrefix("STATUS=poll failing (1 in a row, last ok never): "))
            #expect(try await rig.tick(10) == nil)
        }
        #expect(rig.notifier.messages.count == 3)
        #expect(rig.notifier.messages.last == "STOPPING=1\nSTATUS=stopping")
    }
}
