import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes a command run as root on a store act as the store's owner.
///
/// SQLite creates `-wal` and `-shm` as whoever opens the database, and systemd re-owns a `StateDirectory=` only when
/// the top directory's owner is wrong: root-owned files left in `/var/lib/intercom-triggerd` stop the service from
/// opening its store. So before opening a store, a root process whose store directory belongs to another user (the
/// service user) becomes that user — supplementary groups, then the group, then the user, in that order — and checks
/// it took. When the owners of the directory and the files disagree it refuses instead, naming the fix.
///
/// | effective uid | directory owner | store files' owners | plan |
/// | --- | --- | --- | --- |
/// | not 0 | any | any | keep |
/// | 0 | (no directory yet) | – | keep |
/// | 0 | root | root, or none yet | keep |
/// | 0 | root | some other user | refuse |
/// | 0 | user U | U, or none yet | become U |
/// | 0 | user U | some other user (root included) | refuse |
///
/// glibc applies the switch to every thread but one that is exiting, and Swift's async `main` leaves the main thread
/// parked for good inside libdispatch's `pthread_exit`: that thread keeps root's ids. It runs none of our code, but
/// `ps` and `/proc/<pid>/status` (which show the main thread) still list the process as root; the threads that
/// open files have switched (`/proc/<pid>/task/*/status`).
public struct PrivilegeDrop<System: PrivilegeSystem>: Sendable {
    /// The system calls.
    public let system: System

    public init(system: System) {
        self.system = system
    }

    /// What to do before opening the store at `path`, per the table above.
    public func plan(forStoreAt path: String) -> PrivilegePlan {
        guard system.effectiveUserID() == 0 else { return .keep }
        let directory = Self.directory(of: path)
        guard let directoryOwner = system.owner(of: directory) else { return .keep }
        let files = StoreFiles(path: path).allPaths.compactMap { file in system.owner(of: file).map { (file, $0) } }
        let strangers = files.filter { $0.1.uid != directoryOwner.uid }
        if directoryOwner.uid == 0 {
            guard let (file, owner) = strangers.first else { return .keep }
            return .refuse(
                "\(file) belongs to \(name(owner.uid)) but its directory \(directory) to root: as root this command "
                    + "would leave files \(name(owner.uid)) cannot open, as \(name(owner.uid)) it could not create the "
                    + "store's -wal and -shm files; fix: chown \(owner) \(directory) (or run it as the user who owns the "
                    + "store)")
        }
        if !strangers.isEmpty {
            let listed = strangers.map { "\($0.0) belongs to \(name($0.1.uid))" }.joined(separator: ", ")
            return .refuse(
                "\(listed), not to \(name(directoryOwner.uid)) who owns \(directory) (left by a command run as "
                    + "another user?): the service could not open them; fix: chown \(directoryOwner) "
                    + strangers.map(\.0).joined(separator: " "))
        }
        let entry = system.account(uid: directoryOwner.uid)
        return .become(
            ServiceAccount(uid: directoryOwner.uid, gid: entry?.gid ?? directoryOwner.gid, name: entry?.name))
    }

    /// Switches the process to `account`: supplementary groups (`initgroups`, or just the primary group when the
    /// password database does not know the user), `setgid`, `setuid`; then checks that the real and effective ids
    /// changed and that root cannot be regained.
    public func become(_ account: ServiceAccount) throws(PrivilegeDropError) {
        guard account.uid != 0 else { return }
        func check(_ status: Int32, _ call: String) throws(PrivilegeDropError) {
            guard status != 0 else { return }
            throw failure(account, "\(call): \(String(cString: strerror(status)))")
        }
        if let name = account.name {
            try check(system.initializeGroups(name: name, gid: account.gid), "initgroups(\(name), \(account.gid))")
        } else {
            try check(system.setGroups([account.gid]), "setgroups([\(account.gid)])")
        }
        try check(system.setGroupID(account.gid), "setgid(\(account.gid))")
        try check(system.setUserID(account.uid), "setuid(\(account.uid))")
        let ids = (system.realUserID(), system.effectiveUserID(), system.realGroupID(), system.effectiveGroupID())
        guard ids == (account.uid, account.uid, account.gid, account.gid) else {
            throw failure(
                account,
                "after setuid the process runs as uid \(ids.0)/\(ids.1), gid \(ids.2)/\(ids.3) (real/effective)")
        }
        guard system.setUserID(0) != 0 else {
            throw failure(account, "setuid(0) still succeeds after dropping root")
        }
    }

    /// ``plan(forStoreAt:)`` carried out: the account switched to, or `nil` when the process stays as it is.
    /// - Throws: ``PrivilegeDropError`` when the plan refuses or the switch fails; exit ``PrivilegeDropError/exitCode``.
    @discardableResult
    public func actAsOwner(ofStoreAt path: String) throws(PrivilegeDropError) -> ServiceAccount? {
        switch plan(forStoreAt: path) {
        case .keep:
            return nil
        case .refuse(let reason):
            throw PrivilegeDropError("refusing to open the store as root: \(reason)")
        case .become(let account):
            try become(account)
            return account
        }
    }

    /// The directory SQLite creates the store's companion files in.
    static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    private func name(_ uid: uid_t) -> String {
        if uid == 0 { return "root" }
        return system.account(uid: uid).map { "\($0.name) (uid \(uid))" } ?? "uid \(uid)"
    }

    private func failure(_ account: ServiceAccount, _ detail: String) -> PrivilegeDropError {
        let how = account.name.map { "runuser -u \($0) -- intercom-triggerd …" } ?? "setpriv --reuid \(account.uid) …"
        return PrivilegeDropError(
            "cannot act as \(account), who owns the store: \(detail); run the command as that user (\(how))")
    }
}

extension PrivilegeDrop where System == SystemPrivileges {
    /// The real system calls.
    public init() {
        self.init(system: SystemPrivileges())
    }
}
