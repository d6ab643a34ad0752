import Foundation
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension TriggerEndToEnd {
    /// The built daemon on a PostgreSQL store (#16): `[store] url` with a password file, the backfill detected and
    /// delivered once, admin commands reading the same database, a restart that resumes where it stopped.
    @Suite struct PostgresStoreEndToEnd {
        @Test(.timeLimit(.minutes(3)))
        func aDaemonOnPostgreSQLDeliversOnceAndAdminCommandsReadItsStore() async throws {
            try await PostgresCluster.withRunning(.init(password: "store-s3cret")) { cluster in
                let database = try await cluster.createDatabase()
                let directory = try TemporaryDirectory("postgres-store")
                let simulator = try await SimulatorProcess(
                    ["--contacts", "40", "--conversations", "10"], in: directory)
                defer { simulator.stop() }
                let expected = try await ExpectedEvents.backfill(of: simulator)
                let passwordFile = directory.path("store-password")
                try Data("store-s3cret\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile)
                var file = DaemonConfigFile(simulator: simulator, directory: directory)
                file.storeURL = "\(cluster.url(database: database))?sslmode=disable"
                file.storePasswordFile = passwordFile
                let config = try file.write(in: directory)

                let first = try DaemonProcess(config: config, in: directory, name: "first")
                defer { first.kill() }
                try await first.waitUntilStarted()
                #expect(first.process.standardError.contains("postgresql://triggerd@127.0.0.1:\(cluster.port)/"))
                #expect(!first.process.standardError.contains("store-s3cret"))
                try await eventually("the backfill is delivered", timeout: .seconds(90), interval: .milliseconds(200)) {
                    guard first.process.isRunning else {
                        throw EndToEndError("daemon exited: \(first.process.standardErrorTail())")
                    }
                    return try first.events().count >= expected.count
                }
                #expect(Set(try first.events().map(\.id)) == expected)
                // `status` reads the same database: everything delivered, nothing pending.
                try await eventually("status shows the deliveries", timeout: .seconds(20)) {
                    let status = try await DaemonCommand.status(config: config, in: directory)
                    return status.destinations.first?.pending == 0 && status.destinations.first?.lastDeliveredAt != nil
                }
                #expect(try await first.stop(with: SIGTERM) == .exited(0))
                // The rows are PostgreSQL's: events and delivered outbox rows, one each.
                #expect(
                    try cluster.sql("SELECT count(*) FROM event", database: database)
                        .trimmingCharacters(in: .whitespacesAndNewlines) == "\(expected.count)")

                // A restart resumes from the stored watermarks: nothing is detected or delivered twice.
                let restartedAt = Int(Date().timeIntervalSince1970)
                let second = try DaemonProcess(config: config, in: directory, name: "second")
                defer { second.kill() }
                try await second.waitUntilStarted()
                try await eventually("the second daemon finishes a pass", timeout: .seconds(30)) {
                    let status = try await DaemonCommand.status(config: config, in: directory)
                    return status.topics.allSatisfy {
                        ($0.lastPollAt ?? 0) >= restartedAt && ($0.lastResult ?? "").hasSuffix(" 0 events")
                    }
                }
                #expect(try second.events().isEmpty)
                #expect(try await second.stop(with: SIGTERM) == .exited(0))
            }
        }
    }
}
