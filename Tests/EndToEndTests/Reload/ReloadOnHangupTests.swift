import Foundation
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension TriggerEndToEnd {
    /// `systemctl reload` (SIGHUP) on the real binary: the file is read again; a valid one changes the topics
    /// without losing what was delivered, an invalid one is logged and the daemon runs on.
    @Suite struct ReloadOnHangupTests {
        @Test(.timeLimit(.minutes(3)))
        func hangupAppliesAValidFileAndKeepsRunningOnAnInvalidOne() async throws {
            let directory = try TemporaryDirectory("reload")
            let simulator = try await SimulatorProcess(["--contacts", "40"], in: directory)
            defer { simulator.stop() }
            var config = DaemonConfigFile(simulator: simulator, directory: directory)
            config.topics = ["contact.user.created"]
            let path = try config.write(in: directory)
            let daemon = try ChildProcess(
                try BuiltBinaries.url(for: BuiltBinaries.daemon), ["run", "--config", path], in: directory,
                name: "daemon")
            defer { daemon.kill() }
            func events() -> [EmittedEvent] { daemon.completeOutputLines.compactMap(EmittedEvent.init(line:)) }

            try await eventually(
                "the users backfilled\n\(daemon.standardErrorTail())", timeout: .seconds(60),
                interval: .milliseconds(100)
            ) {
                !events().isEmpty && events().allSatisfy { $0.topic == "contact.user.created" }
            }
            try await eventually("the backfill settled", timeout: .seconds(60), interval: .milliseconds(100)) {
                let before = events().count
                try await Task.sleep(for: .seconds(2))
                return events().count == before
            }
            let users = events().count

            config.topics = ["contact.user.created", "contact.lead.created"]
            try config.write(in: directory)
            daemon.send(SIGHUP)
            try await eventually(
                "the reload\n\(daemon.standardErrorTail())", timeout: .seconds(60), interval: .milliseconds(100)
            ) {
                daemon.standardError.contains("configuration reloaded")
            }
            try await eventually(
                "the leads backfilled\n\(daemon.standardErrorTail())", timeout: .seconds(60),
                interval: .milliseconds(100)
            ) {
                events().contains { $0.topic == "contact.lead.created" }
            }
            try await eventually("the leads settled", timeout: .seconds(60), interval: .milliseconds(100)) {
                let before = events().count
                try await Task.sleep(for: .seconds(2))
                return events().count == before
            }
            // 40 contacts: every one fired once, as a user or a lead; none of the users again.
            #expect(events().filter { $0.topic == "contact.user.created" }.count == users)
            #expect(Set(events().map(\.itemID)).count == 40)
            #expect(Set(events().map(\.id)).count == events().count)

            let misspelt = config.text.replacingOccurrences(of: "interval = ", with: "intervall = ")
            try Data(misspelt.utf8).write(to: URL(fileURLWithPath: path))
            daemon.send(SIGHUP)
            try await eventually(
                "the refusal\n\(daemon.standardErrorTail())", timeout: .seconds(60), interval: .milliseconds(100)
            ) {
                daemon.standardError.contains("reload refused") && daemon.standardError.contains("intervall")
            }
            #expect(daemon.isRunning)
            daemon.send(SIGTERM)
            let termination = try await daemon.waitForExit(timeout: .seconds(60))
            #expect(termination == .exited(0), "\(daemon.standardErrorTail())")
        }
    }
}
