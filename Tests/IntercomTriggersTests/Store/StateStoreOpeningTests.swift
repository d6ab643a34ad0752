import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct StateStoreOpeningTests {
    @Test func writerIsDurableAndInWALMode() async throws {
        try await StoreFixture.withStore { store throws in
            #expect(try await store.synchronousModeOnWriter() == 2)  // FULL, despite GRDB's NORMAL
            #expect(try await store.journalMode() == "wal")
        }
    }

    @Test func newStoreRecordsItsFormat() async throws {
        try await StoreFixture.withStore { store throws in
            #expect(try await store.metaValue(forKey: "store_format") == StoreSchema.format)
        }
    }

    @Test func createsMissingDirectoriesAndPrivateFiles() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        #expect(!FileManager.default.fileExists(atPath: fixture.path))
        let store = try fixture.open()
        defer { try? store.close() }
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path)
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0, "database mode \(String(mode, radix: 8)) is readable by others")
    }

    @Test func secondDaemonIsLockedOutUntilTheFirstCloses() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let first = try fixture.open(.daemon)
        #expect {
            _ = try fixture.open(.daemon)
        } throws: { error in
            guard case .locked(let path, let pid) = error as? StoreError else { return false }
            return path == fixture.path && pid == getpid()
        }
        try first.close()
        let second = try fixture.open(.daemon)
        try second.close()
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func lockIsVisibleToOtherProcessesAndHoldsThePID() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let lockPath = fixture.path + ".lock"
        func otherProcessCanLock() throws -> Bool {
            let process = try SpawnedProcess(
                executable: "/usr/bin/flock", arguments: ["--nonblock", "--conflict-exit-code", "75", lockPath, "true"])
            return process.waitUntilExit() == .exited(0)
        }
        let store = try fixture.open(.daemon)
        #expect(try !otherProcessCanLock())
        let written = try String(contentsOfFile: lockPath, encoding: .utf8)
        #expect(written == "\(getpid())\n")
        try store.close()
        #expect(try otherProcessCanLock())
    }

    @Test func lockedErrorSaysWhoHoldsTheStore() {
        let error = StoreError.locked(path: "/var/lib/x/state.sqlite", pid: 4242)
        #expect(error.description.contains("another intercom-triggerd (pid 4242)"))
        #expect(error.description.contains("/var/lib/x/state.sqlite"))
    }

    @Test func adminOpensAlongsideTheDaemonAndSharesItsData() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let daemon = try fixture.open(.daemon)
        defer { try? daemon.close() }
        let admin = try fixture.open(.admin)
        defer { try? admin.close() }

        try await daemon.ensureTopics(["contact.user.created": 100])
        await #expect(try admin.topicStates().map(\.topic) == ["contact.user.created"])
        try await admin.requestReset(topic: "contact.user.created", to: 50)
        await #expect(try daemon.applyPendingResets() == ["contact.user.created"])
    }

    @Test func adminWritesWaitForTheDaemonInsteadOfFailing() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let daemon = try fixture.open(.daemon)
        defer { try? daemon.close() }
        let admin = try fixture.open(.admin)
        defer { try? admin.close() }
        let topic = "contact.user.updated"
        try await daemon.ensureTopics([topic: 0])

        // Two connections writing at once: SQLite's busy timeout serialises them, nothing throws.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for page in 1...40 {
                    let event = StoreFixture.candidate(topic, "u\(page)", page)
                    try await daemon.commitPage(StoreFixture.page([event], watermarks: [topic: page]))
                }
            }
            group.addTask {
                for attempt in 1...40 {
                    try await admin.requestReset(topic: topic, to: attempt)
                    try await admin.setMetaValue("\(attempt)", forKey: "admin_probe")
                }
            }
            try await group.waitForAll()
        }
        await #expect(try daemon.events(afterSeq: 0, topic: topic, since: nil, limit: 100).count == 40)
        await #expect(try daemon.metaValue(forKey: "admin_probe") == "40")
        await #expect(try daemon.topicStates().first?.resetRequestedTo == 40)
    }

    @Test func adminDoesNotTakeTheLock() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.open(.daemon).close()  // the store exists: an admin command never creates one
        let admin = try fixture.open(.admin)
        defer { try? admin.close() }
        let daemon = try fixture.open(.daemon)
        try daemon.close()
    }

    @Test func committedPageSurvivesReopening() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let event = StoreFixture.candidate("contact.lead.created", "c1", 900)
        do {
            let store = try fixture.open()
            try await store.ensureTopics(["contact.lead.created": 0])
            try await store.commitPage(StoreFixture.page([event], watermarks: ["contact.lead.created": 950]))
            try store.close()
        }
        let reopened = try fixture.open()
        defer { try? reopened.close() }
        await #expect(try reopened.topicStates().first?.watermark == 950)
        await #expect(try reopened.events(afterSeq: 0, topic: nil, since: nil, limit: 10).map(\.id) == [event.id])
        await #expect(try reopened.queueDepth() == ["console": 1])
        await #expect(try reopened.synchronousModeOnWriter() == 2)
        // Already seen before the restart: nothing new.
        await #expect(try reopened.commitPage(StoreFixture.page([event])).isEmpty)
    }

    @Test func storeFromANewerVersionIsRefused() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        do {
            let store = try fixture.open()
            try await store.write("simulate a newer binary") { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')")
            }
            try store.close()
        }
        #expect(throws: StoreError.schemaTooNew(path: fixture.path)) { _ = try fixture.open(.admin) }
        // The refused daemon must not keep the lock.
        #expect(throws: StoreError.schemaTooNew(path: fixture.path)) { _ = try fixture.open(.daemon) }
        #expect(throws: StoreError.schemaTooNew(path: fixture.path)) { _ = try fixture.open(.daemon) }
    }

    @Test(
        arguments: [
            (StoreError.schemaTooNew(path: "/s"), 65), (.locked(path: "/s", pid: 1), 75),
            (.cannotOpen(path: "/s", reason: "EIO"), 69), (.notFound(path: "/s"), 69),
            (.migrationFailed(path: "/s", reason: "disk full"), 69), (.database(operation: "read", reason: "EIO"), 69),
        ] as [(StoreError, Int32)])
    func eachRefusalExitsWithItsCode(_ error: StoreError, code: Int32) {
        #expect(error.exitCode == code)
    }

    @Test func theUnitDoesNotRestartWhatARestartCannotFix() throws {
        // A downgraded binary on a newer store exits 65; restarting it every RestartSec= only fills the journal.
        let unit = try String(contentsOfFile: Self.repository + "/systemd/intercom-triggerd.service", encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("RestartPreventExitStatus=") })
        let codes = Set(
            line.dropFirst("RestartPreventExitStatus=".count).split(separator: " ").compactMap { Int32($0) })
        #expect(
            codes.isSuperset(of: [
                StoreError.schemaTooNew(path: "/s").exitCode, StoreError.locked(path: "/s", pid: nil).exitCode,
                ConfigError.exitCode,
            ]))
        #expect(!codes.contains(StoreError.cannotOpen(path: "/s", reason: "EIO").exitCode))
    }

    /// The checkout this file belongs to.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func closedStoreRefusesWork() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.open()
        try store.close()
        await #expect(throws: StoreError.self) { try await store.topicStates() }
    }

    @Test func unopenablePathIsReported() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        // A regular file where the directory should be.
        let blocker = fixture.directory + "/state"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        #expect {
            _ = try fixture.open()
        } throws: { error in
            guard case .cannotOpen(let path, _) = error as? StoreError else { return false }
            return path == fixture.path
        }
    }

    struct OwnershipCase: Sendable, CustomTestStringConvertible {
        var euid: uid_t
        var database: (uid: uid_t, gid: gid_t)?
        var directory: (uid: uid_t, gid: gid_t)?
        var expected: (uid: uid_t, gid: gid_t)?
        var testDescription: String {
            "euid \(euid), db \(database.map { "\($0.uid)" } ?? "-"), dir \(directory.map { "\($0.uid)" } ?? "-")"
        }
    }

    @Test(arguments: [
        // Not root: never chown.
        OwnershipCase(euid: 1000, database: (998, 998), directory: (998, 998), expected: nil),
        // Root, existing database of the service user: hand back to it.
        OwnershipCase(euid: 0, database: (998, 997), directory: (0, 0), expected: (998, 997)),
        // Root, new database in the service user's directory: the directory's owner.
        OwnershipCase(euid: 0, database: nil, directory: (998, 997), expected: (998, 997)),
        // Root everywhere: leave it.
        OwnershipCase(euid: 0, database: (0, 0), directory: (998, 998), expected: nil),
        OwnershipCase(euid: 0, database: nil, directory: (0, 0), expected: nil),
    ])
    func rootHandsFilesBackToTheirOwner(_ row: OwnershipCase) {
        let owner = StoreFiles.ownerToRestore(
            effectiveUID: row.euid,
            database: row.database.map { StoreFiles.Owner(uid: $0.uid, gid: $0.gid) },
            directory: row.directory.map { StoreFiles.Owner(uid: $0.uid, gid: $0.gid) })
        #expect(owner == row.expected.map { StoreFiles.Owner(uid: $0.uid, gid: $0.gid) })
    }

    @Test func chownHandsEveryExistingFileToTheOwner() throws {
        // Without root this can only hand files to ourselves, which still exercises every path.
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.open()
        defer { try? store.close() }
        let files = StoreFiles(path: fixture.path)
        let me = StoreFiles.Owner(uid: geteuid(), gid: getegid())
        try files.chown(to: me)
        for file in files.allPaths where FileManager.default.fileExists(atPath: file) {
            #expect(StoreFiles.owner(of: file) == me)
        }
        #expect(FileManager.default.fileExists(atPath: fixture.path + ".lock"))
        #expect(FileManager.default.fileExists(atPath: fixture.path + "-wal"))
    }

    @Test(
        .enabled(if: geteuid() == 0, "needs root to hand files to another user"),
        arguments: ["", "-wal", "-shm", ".lock"])
    func chownNeverFollowsALinkPlantedAtAStoreFile(_ planted: String) throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(
            atPath: (fixture.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let victim = fixture.directory + "/victim"
        let victimOwner = StoreFiles.Owner(uid: 4242, gid: 4243)
        #expect(FileManager.default.createFile(atPath: victim, contents: Data("not yours".utf8)))
        #expect(chown(victim, victimOwner.uid, victimOwner.gid) == 0)
        let files = StoreFiles(path: fixture.path)
        for file in files.allPaths where file != fixture.path + planted {
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        }
        try FileManager.default.createSymbolicLink(atPath: fixture.path + planted, withDestinationPath: victim)

        let service = StoreFiles.Owner(uid: 4321, gid: 4322)
        try files.chown(to: service)
        #expect(StoreFiles.owner(of: victim) == victimOwner)
        for file in files.allPaths where file != fixture.path + planted {
            #expect(StoreFiles.owner(of: file) == service, "\(file)")
        }
        // A dangling link is skipped too, not an error.
        let dangling = fixture.directory + "/gone"
        try FileManager.default.removeItem(atPath: fixture.path + planted)
        try FileManager.default.createSymbolicLink(atPath: fixture.path + planted, withDestinationPath: dangling)
        try files.chown(to: service)
        #expect(!FileManager.default.fileExists(atPath: dangling))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to create files for another user"))
    func adminRunAsRootLeavesFilesToTheServiceUser() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let service = StoreFiles.Owner(uid: 4321, gid: 4322)
        let directory = (fixture.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(chown(directory, service.uid, service.gid) == 0)

        let daemon = try fixture.open(.daemon)  // creates the database and the lock file as root
        defer { try? daemon.close() }
        let admin = try fixture.open(.admin)
        defer { try? admin.close() }
        try await admin.requestReset(topic: "contact.user.created", to: 1)
        try await daemon.ensureTopics(["contact.user.created": 1])
        for suffix in ["", "-wal", "-shm", ".lock"] {
            #expect(StoreFiles.owner(of: fixture.path + suffix) == service, "\(suffix)")
        }
    }

    @Test func anAdminCommandNeverCreatesAStore() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let typo = fixture.directory + "/typo/state.sqlite"
        #expect(throws: StoreError.notFound(path: typo)) { _ = try StateStore(path: typo, role: .admin) }
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/typo"))
        #expect(StoreError.notFound(path: typo).description.contains("nothing was created"))
    }

    @Test func twoDaemonsThroughALinkOrARelativePathStillExcludeEachOther() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let first = try fixture.open(.daemon)
        defer { try? first.close() }
        let link = fixture.directory + "/link.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.path)
        #expect(throws: StoreError.self) { _ = try StateStore(path: link, role: .daemon) }
        let storeDirectory = (fixture.path as NSString).deletingLastPathComponent
        let linkedDirectory = fixture.directory + "-linked"
        try FileManager.default.createSymbolicLink(atPath: linkedDirectory, withDestinationPath: storeDirectory)
        defer { try? FileManager.default.removeItem(atPath: linkedDirectory) }
        let viaDirectory = linkedDirectory + "/" + (fixture.path as NSString).lastPathComponent
        do {
            _ = try StateStore(path: viaDirectory, role: .daemon)
            Issue.record("a second daemon opened the store through a linked directory")
        } catch let error as StoreError {
            guard case .locked = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }
}
