import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension TriggerEndToEnd {
    /// `intercom-triggerd run` as systemd starts it (`Type=notify`, `WatchdogSec=`): `NOTIFY_SOCKET` and
    /// `WATCHDOG_USEC` in its environment, the notify socket read by the test.
    @Suite struct SystemdNotifyTests {
        @Test(.timeLimit(.minutes(2)))
        func readyStatusAndPingsThenStoppingAndExitZeroOnSIGTERM() async throws {
            let directory = try TemporaryDirectory("systemd-notify")
            let simulator = try await SimulatorProcess(["--contacts", "20"], in: directory)
            defer { simulator.stop() }
            var config = DaemonConfigFile(simulator: simulator, directory: directory)
            config.extra = "\n[service]\nshutdown_timeout = \"5s\"\n"
            let path = try config.write(in: directory)
            let listener = try NotifySocketListener()
            var environment = ProcessInfo.processInfo.environment
            environment["NOTIFY_SOCKET"] = listener.address
            environment["WATCHDOG_USEC"] = "2000000"
            environment["WATCHDOG_PID"] = nil
            let daemon = try ChildProcess(
                try BuiltBinaries.url(for: BuiltBinaries.daemon), ["run", "--config", path], in: directory,
                name: "daemon", environment: environment)
            defer { daemon.kill() }

            let ready = try await listener.next(hangGuard: .seconds(60))
            #expect(ready.notifyValue("READY") == "1", "\(ready)")
            let polled = try await listener.collect(until: {
                $0.notifyValue("STATUS")?.hasPrefix("last poll ok at ") == true
            })
            #expect(polled.last?.notifyValue("STATUS")?.contains("; queue ") == true)
            // Pings every second (half of WATCHDOG_USEC) while the poller and the lane move.
            _ = try await listener.collect(until: { $0.notifyValue("WATCHDOG") == "1" })
            _ = try await listener.collect(until: { $0.notifyValue("WATCHDOG") == "1" })
            #expect(daemon.isRunning, "\(daemon.standardErrorTail())")

            daemon.send(SIGTERM)
            let stopping = try await listener.collect(until: { $0.notifyValue("STOPPING") != nil })
            #expect(stopping.last == "STOPPING=1\nSTATUS=stopping")
            // A hang guard well past shutdown_timeout (5 s), not a timing assertion.
            let termination = try await daemon.waitForExit(timeout: .seconds(30))
            #expect(termination == .exited(0), "\(daemon.standardErrorTail())")
        }
    }
}
