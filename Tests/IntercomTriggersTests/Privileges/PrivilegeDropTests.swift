import Foundation
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct PrivilegeDropTests {
    static let store = "/var/lib/intercom-triggerd/state.sqlite"
    static let directory = "/var/lib/intercom-triggerd"
    static let service = FileOwner(uid: 998, gid: 997)
    static let root = FileOwner(uid: 0, gid: 0)
    static let other = FileOwner(uid: 1000, gid: 1000)

    /// One row of the decision table.
    struct PlanCase: Sendable, CustomTestStringConvertible {
        var label: String
        var euid: uid_t = 0
        var directory: FileOwner?
        /// Suffix ("", "-wal", "-shm", ".lock") → owner, for the store files that exist.
        var files: [String: FileOwner] = [:]
        var knowsServiceUser = true
        var expected: Expected

        enum Expected: Sendable, Equatable {
            case keep
            case become(uid: uid_t, gid: gid_t, name: String?)
            /// Refused, the reason containing every one of these.
            case refuse([String])
        }

        var testDescription: String { label }
    }

    @Test(arguments: [
        PlanCase(
            label: "not root: never switch", euid: 1000, directory: service, files: ["": root], expected: .keep),
        PlanCase(label: "root, no directory yet", directory: nil, expected: .keep),
        PlanCase(label: "root, root's store", directory: root, files: ["": root, "-wal": root], expected: .keep),
        PlanCase(label: "root, root's empty directory", directory: root, expected: .keep),
        PlanCase(
            label: "root, service user's store", directory: service,
            files: ["": service, "-wal": service, "-shm": service, ".lock": service],
            expected: .become(uid: 998, gid: 997, name: "intercom-triggerd")),
        PlanCase(
            label: "root, service user's empty directory", directory: service,
            expected: .become(uid: 998, gid: 997, name: "intercom-triggerd")),
        PlanCase(
            label: "root, directory of a uid with no passwd entry: its group, no name",
            directory: FileOwner(uid: 4321, gid: 4322), files: ["": FileOwner(uid: 4321, gid: 4322)],
            knowsServiceUser: false, expected: .become(uid: 4321, gid: 4322, name: nil)),
        PlanCase(
            label: "root, a root-owned -wal left in the service user's directory", directory: service,
            files: ["": service, "-wal": root],
            expected: .refuse(["\(store)-wal belongs to root", "chown 998:997 \(store)-wal"])),
        PlanCase(
            label: "root, files of two users", directory: service, files: ["": other, "-shm": root],
            expected: .refuse([
                "\(store) belongs to uid 1000", "\(store)-shm belongs to root",
                "chown 998:997 \(store) \(store)-shm",
            ])),
        PlanCase(
            label: "root, the service user's database in root's directory", directory: root,
            files: ["": service],
            expected: .refuse([
                "\(store) belongs to intercom-triggerd (uid 998)", "its directory \(directory) to root",
                "chown 998:997 \(directory)",
            ])),
    ])
    func plan(_ row: PlanCase) {
        let system = FakePrivilegeSystem { state in
            state.euid = row.euid
            state.uid = row.euid
            if let owner = row.directory { state.owners[Self.directory] = owner }
            for (suffix, owner) in row.files { state.owners[Self.store + suffix] = owner }
            if row.knowsServiceUser { state.accounts[998] = ("intercom-triggerd", 997) }
        }
        let plan = PrivilegeDrop(system: system).plan(forStoreAt: Self.store)
        switch (plan, row.expected) {
        case (.keep, .keep):
            break
        case (.become(let account), .become(let uid, let gid, let name)):
            #expect(account == ServiceAccount(uid: uid, gid: gid, name: name))
        case (.refuse(let reason), .refuse(let fragments)):
            for fragment in fragments { #expect(reason.contains(fragment), "\(reason)") }
        default:
            Issue.record("planned \(plan), expected \(row.expected)")
        }
        // Deciding never changes anything.
        #expect(system.calls.isEmpty)
    }

    @Test func relativeStoreLivesInTheWorkingDirectory() {
        #expect(PrivilegeDrop<FakePrivilegeSystem>.directory(of: "state.sqlite") == ".")
        #expect(PrivilegeDrop<FakePrivilegeSystem>.directory(of: "/a/b/state.sqlite") == "/a/b")
        let system = FakePrivilegeSystem { $0.owners["."] = Self.service }
        #expect(
            PrivilegeDrop(system: system).plan(forStoreAt: "state.sqlite")
                == .become(ServiceAccount(uid: 998, gid: 997, name: nil)))
    }

    @Test func becomeSetsGroupsThenGroupThenUserAndChecks() throws {
        let system = FakePrivilegeSystem()
        try PrivilegeDrop(system: system).become(ServiceAccount(uid: 998, gid: 997, name: "intercom-triggerd"))
        #expect(system.calls == ["initgroups(intercom-triggerd, 997)", "setgid(997)", "setuid(998)", "setuid(0)"])
        #expect(system.ids == (998, 998, 997, 997))
    }

    @Test func anUnknownUserGetsOnlyItsGroup() throws {
        let system = FakePrivilegeSystem()
        try PrivilegeDrop(system: system).become(ServiceAccount(uid: 4321, gid: 4322, name: nil))
        #expect(system.calls == ["setgroups([4322])", "setgid(4322)", "setuid(4321)", "setuid(0)"])
        #expect(system.ids == (4321, 4321, 4322, 4322))
    }

    @Test(arguments: [
        ("initgroups", ["initgroups(svc, 997)"]),
        ("setgid", ["initgroups(svc, 997)", "setgid(997)"]),
        ("setuid", ["initgroups(svc, 997)", "setgid(997)", "setuid(998)"]),
    ])
    func aFailedCallStopsTheSwitch(failing call: String, expectedCalls: [String]) {
        let system = FakePrivilegeSystem { $0.failing[call] = EPERM }
        let drop = PrivilegeDrop(system: system)
        #expect {
            try drop.become(ServiceAccount(uid: 998, gid: 997, name: "svc"))
        } throws: { error in
            let message = "\(error)"
            return message.contains("\(call)(") && message.contains(String(cString: strerror(EPERM)))
                && message.contains("runuser -u svc --")
        }
        #expect(system.calls == expectedCalls)
        #expect(system.ids.uid == 0 && system.ids.euid == 0)
    }

    @Test func aSetUIDThatDidNotTakeIsCaught() {
        let system = FakePrivilegeSystem { $0.setUIDIsIgnored = true }
        #expect {
            try PrivilegeDrop(system: system).become(ServiceAccount(uid: 998, gid: 997, name: nil))
        } throws: { error in
            "\(error)".contains("runs as uid 0/0, gid 997/997")
        }
    }

    @Test func rootThatCanBeRegainedIsCaught() {
        let system = FakePrivilegeSystem { $0.keepsSavedRoot = true }
        #expect {
            try PrivilegeDrop(system: system).become(ServiceAccount(uid: 998, gid: 997, name: nil))
        } throws: { error in
            "\(error)".contains("setuid(0) still succeeds")
        }
    }

    @Test func actAsOwnerCarriesOutThePlan() throws {
        let keep = FakePrivilegeSystem { $0.owners[Self.directory] = Self.root }
        #expect(try PrivilegeDrop(system: keep).actAsOwner(ofStoreAt: Self.store) == nil)
        #expect(keep.calls.isEmpty)

        let become = FakePrivilegeSystem { $0.owners[Self.directory] = Self.service }
        let account = try PrivilegeDrop(system: become).actAsOwner(ofStoreAt: Self.store)
        #expect(account == ServiceAccount(uid: 998, gid: 997, name: nil))
        #expect(become.ids == (998, 998, 997, 997))

        let refuse = FakePrivilegeSystem { state in
            state.owners[Self.directory] = Self.service
            state.owners[Self.store + "-shm"] = Self.root
        }
        #expect {
            try PrivilegeDrop(system: refuse).actAsOwner(ofStoreAt: Self.store)
        } throws: { error in
            "\(error)".hasPrefix("refusing to open the store as root: \(Self.store)-shm belongs to root")
        }
        #expect(refuse.calls.isEmpty)
        #expect(PrivilegeDropError.exitCode == 77)
    }

    @Test func systemPrivilegesReadsOwnersAndAccounts() throws {
        let system = SystemPrivileges()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("owner-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(system.owner(of: file) == FileOwner(uid: geteuid(), gid: getegid()))
        #expect(system.owner(of: file + "-missing") == nil)
        #expect(system.account(uid: 0)?.name == "root")
        #expect(system.account(uid: 0)?.gid == 0)
        #expect(system.account(uid: 3_999_999_999) == nil)
        #expect(system.effectiveUserID() == geteuid() && system.realUserID() == getuid())
    }
}
