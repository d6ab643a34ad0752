import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// sd_notify without libsystemd: datagrams reach a path socket and an abstract one; no socket, no notifier.
@Suite struct DatagramNotifierTests {
    @Test(arguments: [false, true])
    func deliversEachMessageAsOneDatagram(abstract: Bool) async throws {
        let listener = try NotifySocketListener(abstract: abstract)
        let notifier = try #require(DatagramNotifier(environment: ["NOTIFY_SOCKET": listener.address]))
        #expect(notifier.send("READY=1\nSTATUS=polling"))
        notifier.notify("WATCHDOG=1")
        #expect(try await listener.next() == "READY=1\nSTATUS=polling")
        #expect(try await listener.next() == "WATCHDOG=1")
        #expect(listener.receiveNow() == nil)
    }

    @Test(arguments: [
        [:], ["NOTIFY_SOCKET": ""], ["NOTIFY_SOCKET": "relative/notify"], ["NOTIFY_SOCKET": "vsock:2:1234"],
        ["NOTIFY_SOCKET": "@"], ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 107)],
    ])
    func withoutAUsableNotifySocketThereIsNoNotifier(environment: [String: String]) {
        #expect(DatagramNotifier(environment: environment) == nil)
    }

    @Test func aSocketNobodyListensOnIsNotAnError() {
        let notifier = DatagramNotifier(socket: NSTemporaryDirectory() + "no-such-\(UUID().uuidString).sock")
        #expect(notifier?.send("READY=1") == false)
    }

    @Test func outsideSystemdTheDaemonHasNoSystemdService() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let configuration = DaemonConfiguration(
            intercom: .init(accessToken: Secret("token", source: .inline(key: "access_token"))),
            store: .init(path: files.path))
        let daemon = try await Daemon.build(
            configuration: configuration, logger: DeliveryFixture.quiet, environment: ["WATCHDOG_USEC": "1000000"])
        defer { try? daemon.store.close() }
        #expect(daemon.systemdService(current: { daemon }) == nil)
        #expect(!daemon.services.contains { $0 is SystemdNotifyService })
    }

    struct WatchdogCase: Sendable, CustomTestStringConvertible {
        var environment: [String: String]
        var expected: Duration?
        var testDescription: String { "\(environment) → \(expected.map { "\($0)" } ?? "none")" }
    }

    @Test(arguments: [
        WatchdogCase(environment: [:], expected: nil),
        WatchdogCase(environment: ["WATCHDOG_USEC": "30000000"], expected: .seconds(15)),
        WatchdogCase(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "4242"], expected: .seconds(1)),
        WatchdogCase(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "4243"], expected: nil),
        WatchdogCase(environment: ["WATCHDOG_USEC": "0"], expected: nil),
        WatchdogCase(environment: ["WATCHDOG_USEC": "soon"], expected: nil),
        WatchdogCase(environment: ["WATCHDOG_PID": "4242"], expected: nil),
    ])
    func watchdogPingsComeEveryHalfWatchdogUsecForOurPidOnly(_ watchdog: WatchdogCase) async {
        #expect(
            SystemdNotifyService.watchdogInterval(environment: watchdog.environment, pid: 4242) == watchdog.expected)
    }

    struct BudgetCase: Sendable, CustomTestStringConvertible {
        var total: Duration
        var graceful: Duration
        var cancellation: Duration
        var laneGrace: Duration
        var testDescription: String { "\(total)" }
    }

    @Test(arguments: [
        BudgetCase(
            total: .seconds(1), graceful: .milliseconds(750), cancellation: .milliseconds(250),
            laneGrace: .milliseconds(500)),
        BudgetCase(total: .seconds(4), graceful: .seconds(3), cancellation: .seconds(1), laneGrace: .seconds(2)),
        BudgetCase(total: .seconds(20), graceful: .seconds(18), cancellation: .seconds(2), laneGrace: .seconds(5)),
        BudgetCase(total: .seconds(600), graceful: .seconds(598), cancellation: .seconds(2), laneGrace: .seconds(5)),
    ])
    func theShutdownTimeoutIsSharedSoThatEverythingFitsInIt(_ budget: BudgetCase) {
        let split = ShutdownBudget(budget.total)
        #expect(split.graceful == budget.graceful)
        #expect(split.cancellation == budget.cancellation)
        #expect(split.laneGrace == budget.laneGrace)
        #expect(split.graceful + split.cancellation == budget.total)
        #expect(split.laneGrace < split.graceful)
    }
}
