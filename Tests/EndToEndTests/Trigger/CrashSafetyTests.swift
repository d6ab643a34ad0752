import Foundation
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension TriggerEndToEnd {
    /// The crash-safety test: a 20,000-contact backfill, SIGKILLed at random moments and restarted each
    /// time, still puts every expected event on stdout at least once, with no duplicate outbox rows.
    @Suite struct CrashSafetyTests {
        static let kills = 12

        @Test(.timeLimit(.minutes(10)))
        func backfillSurvivesRepeatedSIGKILL() async throws {
            let directory = try TemporaryDirectory("crash")
            let simulator = try await SimulatorProcess(
                ["--contacts", "20000", "--conversations", "2000"], in: directory)
            defer { simulator.stop() }
            let expected = try await ExpectedEvents.backfill(of: simulator)
            #expect(expected.count >= 20_000)
            let config = try DaemonConfigFile(simulator: simulator, directory: directory).write(in: directory)

            let seed = SeededRandom.seed(fromEnvironment: "E2E_CRASH_SEED")
            print("crash-safety: seed \(seed) (rerun with E2E_CRASH_SEED=\(seed))")
            var random = SeededRandom(seed: seed)
            var daemons: [DaemonProcess] = []
            defer { for daemon in daemons { daemon.kill() } }
            for round in 0..<Self.kills {
                let daemon = try DaemonProcess(config: config, in: directory, name: "daemon-\(round)")
                daemons.append(daemon)
                // From "still opening the store" to "well into delivery": a debug build backfills ~1,000/s.
                let moment = Int.random(in: 50...3_000, using: &random)
                try await Task.sleep(for: .milliseconds(moment))
                let alreadyExited = daemon.process.termination
                daemon.process.send(SIGKILL)
                let termination = try await daemon.process.waitForExit()
                #expect(
                    alreadyExited == nil,
                    "daemon exited on its own (\(termination)) in round \(round): \(daemon.process.standardErrorTail())"
                )
                print(
                    "crash-safety: round \(round) killed after \(moment) ms, \(daemon.process.completeOutputLines.count) lines"
                )
            }

            let finalStart = Int(Date().timeIntervalSince1970)
            let last = try DaemonProcess(config: config, in: directory, name: "daemon-final")
            daemons.append(last)
            try await eventually(
                "the daemon catches up after the last restart", timeout: .seconds(360), interval: .seconds(1)
            ) {
                guard last.process.isRunning else {
                    throw EndToEndError("daemon exited: \(last.process.standardErrorTail())")
                }
                return try await DaemonCommand.status(config: config, in: directory)
                    .isCaughtUp(passStartedAtOrAfter: finalStart)
            }
            let stopped = try await last.stop(with: SIGTERM)
            #expect(stopped == .exited(0))

            var emitted = Set<String>()
            var lines = 0
            for daemon in daemons {
                let events = try daemon.events()
                lines += events.count
                emitted.formUnion(events.map(\.id))
            }
            print("crash-safety: \(lines) lines, \(emitted.count) distinct ids, \(expected.count) expected")
            let missing = expected.subtracting(emitted)
            let unexpected = emitted.subtracting(expected)
            #expect(missing.isEmpty, "\(missing.count) expected events never printed, e.g. \(missing.prefix(5))")
            #expect(unexpected.isEmpty, "\(unexpected.count) unexpected events, e.g. \(unexpected.prefix(5))")

            let store = try StoreInspector(path: directory.path("state.sqlite"))
            defer { store.close() }
            await #expect(try store.duplicateOutboxKeys() == [])
            await #expect(try store.eventIDs() == expected)
            await #expect(try store.outboxCount(destination: "stdout") == expected.count)
        }
    }
}
