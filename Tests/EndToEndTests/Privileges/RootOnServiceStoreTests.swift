import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#endif

extension PrivilegesEndToEnd {
    /// Commands run as root on a store whose directory belongs to the service user act as that user, so every file
    /// they create is the service user's; when the owners disagree they refuse (exit 77) and touch nothing.
    @Suite struct RootOnServiceStoreTests {
        static let nobody = StoreDirectory.nobody

        @Test(.timeLimit(.minutes(3)))
        func daemonAndAdminCommandsRunAsTheStoreOwner() async throws {
            let directory = try TemporaryDirectory("privileges")
            let state = try StoreDirectory("state", in: directory, owner: Self.nobody)
            let simulator = try await SimulatorProcess(["--contacts", "20", "--conversations", "5"], in: directory)
            defer { simulator.stop() }
            let expected = try await ExpectedEvents.backfill(of: simulator)
            var file = DaemonConfigFile(simulator: simulator, directory: directory)
            file.storePath = state.store
            // Root's, mode 0600: read before the switch, as /etc/intercom-triggerd/daemon.conf would be.
            let config = try file.write(in: directory)

            let daemon = try DaemonProcess(config: config, in: directory)
            defer { daemon.kill() }
            try await eventually(
                "the daemon delivers its backfill", timeout: .seconds(60), interval: .milliseconds(100)
            ) {
                guard daemon.process.isRunning else {
                    throw EndToEndError("daemon exited: \(daemon.process.standardErrorTail())")
                }
                return try daemon.events().count >= expected.count
            }
            let credentials = try ThreadCredentials(pid: daemon.process.pid)
            #expect(!credentials.workers.isEmpty)
            for (tid, ids) in credentials.workers {
                #expect(ids == [Self.nobody.uid, Self.nobody.uid, Self.nobody.uid, Self.nobody.uid], "thread \(tid)")
            }
            #expect(try await daemon.stop(with: SIGTERM) == .exited(0), "\(daemon.process.standardErrorTail())")
            #expect(Set(try daemon.events().map(\.id)) == expected)
            try expectOwnedByNobody(state, "after run")

            let status = try await DaemonCommand.run(["status", "--store", state.store, "--json"], in: directory)
            #expect(status.termination == .exited(0), "\(status.standardError)")
            let report = try DaemonStatus(json: Data(status.standardOutput.utf8))
            #expect(!report.topics.isEmpty && report.topics.allSatisfy { $0.lastPollAt != nil })
            try expectOwnedByNobody(state, "after status")

            let reset = try await DaemonCommand.run(
                ["reset", "--store", state.store, "--all", "--to", "beginning"], in: directory)
            #expect(reset.termination == .exited(0), "\(reset.standardError)")
            try expectOwnedByNobody(state, "after reset")

            // A command that stays up: its threads can be looked at.
            let tail = try ChildProcess(
                try BuiltBinaries.url(for: BuiltBinaries.daemon), ["tail", "--follow", "--store", state.store],
                in: directory, name: "tail")
            defer { tail.kill() }
            try await eventually("tail prints the stored events", timeout: .seconds(30), interval: .milliseconds(100)) {
                guard tail.isRunning else { throw EndToEndError("tail exited: \(tail.standardErrorTail())") }
                return tail.completeOutputLines.count >= expected.count
            }
            let tailCredentials = try ThreadCredentials(pid: tail.pid)
            #expect(!tailCredentials.workers.isEmpty)
            #expect(tailCredentials.workers.values.allSatisfy { $0.allSatisfy { $0 == Self.nobody.uid } })
            tail.kill()
            try expectOwnedByNobody(state, "after tail")
        }

        /// A store left half root's: the directory is the service user's but the database root's (an older
        /// version run as root), or the other way round.
        @Test(arguments: [true, false])
        func mixedOwnersAreRefusedWithTheFix(rootOwnsTheFiles: Bool) async throws {
            let directory = try TemporaryDirectory("privileges-refused")
            let state = try StoreDirectory("state", in: directory, owner: (0, 0))
            // A store created by root, as the daemon's first run would create it (admin commands never create one).
            try StateStore(path: state.store, role: .daemon).close()
            if rootOwnsTheFiles {
                try StoreDirectory.handOver(state.path, to: Self.nobody)
            } else {
                for name in try FileManager.default.contentsOfDirectory(atPath: state.path) {
                    try StoreDirectory.handOver(state.path + "/" + name, to: Self.nobody)
                }
            }
            let before = try state.owners()

            let result = try await DaemonCommand.run(["status", "--store", state.store], in: directory)
            #expect(result.termination == .exited(77))
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains("refusing to open the store as root"), "\(result.standardError)")
            let fix = rootOwnsTheFiles ? "chown 65534:65534 \(state.store)" : "chown 65534:65534 \(state.path)"
            #expect(result.standardError.contains(fix), "\(result.standardError)")
            #expect(try state.owners() == before)
        }

        private func expectOwnedByNobody(
            _ state: StoreDirectory, _ when: String, sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let owners = try state.owners()
            #expect(owners.keys.contains("state.sqlite"), "\(when): \(owners)", sourceLocation: sourceLocation)
            #expect(
                owners.values.allSatisfy { $0 == Self.nobody.uid }, "\(when): \(owners)",
                sourceLocation: sourceLocation)
        }
    }
}
