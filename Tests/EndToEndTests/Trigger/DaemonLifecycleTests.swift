import Foundation
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension TriggerEndToEnd {
    /// The daemon as an operator meets it: one daemon per store, `demo`, a closed stdout, `reset` while running.
    @Suite struct DaemonLifecycleTests {
        /// A small workspace, its daemon config and the expected backfill.
        struct Setup {
            let directory: TemporaryDirectory
            let simulator: SimulatorProcess
            let config: String
            let expected: Set<String>

            init(_ label: String, contacts: Int = 60, conversations: Int = 15) async throws {
                directory = try TemporaryDirectory(label)
                simulator = try await SimulatorProcess(
                    ["--contacts", "\(contacts)", "--conversations", "\(conversations)"], in: directory)
                do {
                    expected = try await ExpectedEvents.backfill(of: simulator)
                    config = try DaemonConfigFile(simulator: simulator, directory: directory).write(in: directory)
                } catch {
                    simulator.stop()
                    throw error
                }
            }

            func status() async throws -> DaemonStatus {
                try await DaemonCommand.status(config: config, in: directory)
            }
        }

        @Test(.timeLimit(.minutes(3)))
        func secondRunOnTheSameStoreExits75NamingTheFirst() async throws {
            let setup = try await Setup("lock")
            defer { setup.simulator.stop() }
            let first = try DaemonProcess(config: setup.config, in: setup.directory, name: "first")
            defer { first.kill() }
            try await eventually(
                "the first daemon delivers its backfill", timeout: .seconds(60), interval: .milliseconds(100)
            ) {
                try first.events().count >= setup.expected.count
            }

            let second = try DaemonProcess(config: setup.config, in: setup.directory, name: "second")
            defer { second.kill() }
            let termination = try await second.process.waitForExit(timeout: .seconds(30))
            #expect(termination == .exited(75), "stderr: \(second.process.standardError)")
            #expect(
                second.process.standardError.contains("\(first.process.pid)"), "stderr: \(second.process.standardError)"
            )
            #expect(second.process.completeOutputLines.isEmpty)
            #expect(first.process.isRunning)
            #expect(try await first.stop(with: SIGTERM) == .exited(0))
        }

        @Test(.timeLimit(.minutes(2)))
        func demoPrintsEventsAndExitsZeroOnSIGINT() async throws {
            let directory = try TemporaryDirectory("demo")
            try FileManager.default.createDirectory(
                atPath: directory.path("state"), withIntermediateDirectories: true)
            let demo = try ChildProcess(
                try BuiltBinaries.url(for: BuiltBinaries.daemon),
                ["demo", "--interval", "1s", "--activity", "1s", "--state", directory.path("state")],
                in: directory, name: "demo")
            defer { demo.kill() }
            try await eventually(
                "demo prints an event line: \(demo.standardErrorTail())", timeout: .seconds(20),
                interval: .milliseconds(100)
            ) {
                guard demo.isRunning else { throw EndToEndError("demo exited: \(demo.standardErrorTail())") }
                return !demo.completeOutputLines.isEmpty
            }
            let events = try EmittedEvent.parse(demo.completeOutputLines)
            #expect(events.allSatisfy { $0.id.hasPrefix("notif_") && !$0.topic.isEmpty && !$0.itemID.isEmpty })
            demo.send(SIGINT)
            #expect(try await demo.waitForExit(timeout: .seconds(20)) == .exited(0))
        }

        @Test(.timeLimit(.minutes(3)))
        func closedStdoutKeepsTheQueueAndTheDaemonAlive() async throws {
            let setup = try await Setup("epipe")
            defer { setup.simulator.stop() }
            let start = Int(Date().timeIntervalSince1970)
            let daemon = try DaemonProcess(
                config: setup.config, in: setup.directory, name: "daemon", stdout: .closedPipe)
            defer { daemon.kill() }
            try await daemon.waitUntilStarted()
            // Two passes done: the backfill is in the outbox and the lane has had time to try writing it.
            try await eventually(
                "the daemon finishes a pass that finds nothing new", timeout: .seconds(60), interval: .milliseconds(100)
            ) {
                guard daemon.process.isRunning else {
                    throw EndToEndError(
                        "daemon died (\(daemon.process.termination!)): \(daemon.process.standardErrorTail())")
                }
                let status = try await setup.status()
                return status.topics.allSatisfy {
                    ($0.lastPollAt ?? 0) >= start && ($0.lastResult ?? "").hasSuffix(" 0 events")
                }
            }
            try await Task.sleep(for: .seconds(2))
            #expect(daemon.process.isRunning, "died: \(String(describing: daemon.process.termination))")
            let status = try await setup.status()
            #expect(status.pending == setup.expected.count)
            #expect(status.destinations.allSatisfy { $0.lastDeliveredAt == nil })
            let store = try StoreInspector(path: setup.directory.path("state.sqlite"))
            defer { store.close() }
            await #expect(try store.deliveredCount() == 0)
            let termination = try await daemon.stop(with: SIGTERM)
            #expect(termination.signal == nil, "killed by signal \(termination.signal ?? 0) (SIGPIPE is \(SIGPIPE))")
        }

        @Test(.timeLimit(.minutes(3)))
        func resetWhileRunningRedeliversTheSameIDs() async throws {
            let setup = try await Setup("reset")
            defer { setup.simulator.stop() }
            let daemon = try DaemonProcess(config: setup.config, in: setup.directory)
            defer { daemon.kill() }
            try await eventually("the backfill is delivered", timeout: .seconds(60), interval: .milliseconds(100)) {
                try daemon.events().count >= setup.expected.count
            }
            let before = try daemon.events()
            #expect(Set(before.map(\.id)) == setup.expected)

            // A target in the future is refused before anything changes.
            let future = try await DaemonCommand.run(
                ["reset", "--config", setup.config, "--all", "--to", "2999-01-01T00:00:00Z"], in: setup.directory)
            #expect(future.termination == .exited(64))
            #expect(future.standardError.contains("later than now"), "\(future.standardError)")
            try await DaemonCommand.resetAll(config: setup.config, to: "beginning", in: setup.directory)
            try await eventually("the backfill is delivered again", timeout: .seconds(60), interval: .milliseconds(100))
            {
                try daemon.events().count >= before.count + setup.expected.count
            }
            let again = try daemon.events().dropFirst(before.count)
            #expect(Set(again.map(\.id)) == setup.expected)
            #expect(again.count == setup.expected.count)
            #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
        }
    }
}
