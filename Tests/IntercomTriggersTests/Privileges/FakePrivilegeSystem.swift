import Synchronization

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``PrivilegeSystem`` with the kernel's rules for the ids (root may set any id; after `setuid` away from root the
/// process cannot come back), files and accounts from a table, and every call recorded in order.
final class FakePrivilegeSystem: PrivilegeSystem {
    struct State {
        var uid: uid_t = 0
        var euid: uid_t = 0
        var gid: gid_t = 0
        var egid: gid_t = 0
        var owners: [String: FileOwner] = [:]
        var accounts: [uid_t: (name: String, gid: gid_t)] = [:]
        /// Calls (by the name recorded in ``calls``' entries, up to the parenthesis) that fail with this errno.
        var failing: [String: Int32] = [:]
        /// `setuid` reports success but changes nothing.
        var setUIDIsIgnored = false
        /// `setuid` leaves the saved uid at 0, so root can be taken back.
        var keepsSavedRoot = false
        var calls: [String] = []
    }

    private let state: Mutex<State>

    init(_ configure: (inout State) -> Void = { _ in }) {
        var initial = State()
        configure(&initial)
        state = Mutex(initial)
    }

    var calls: [String] { state.withLock { $0.calls } }
    var ids: (uid: uid_t, euid: uid_t, gid: gid_t, egid: gid_t) {
        state.withLock { ($0.uid, $0.euid, $0.gid, $0.egid) }
    }

    func realUserID() -> uid_t { state.withLock { $0.uid } }
    func effectiveUserID() -> uid_t { state.withLock { $0.euid } }
    func realGroupID() -> gid_t { state.withLock { $0.gid } }
    func effectiveGroupID() -> gid_t { state.withLock { $0.egid } }
    func owner(of path: String) -> FileOwner? { state.withLock { $0.owners[path] } }
    func account(uid: uid_t) -> (name: String, gid: gid_t)? { state.withLock { $0.accounts[uid] } }

    func initializeGroups(name: String, gid: gid_t) -> Int32 {
        record("initgroups", "\(name), \(gid)") { $0.euid == 0 ? 0 : EPERM }
    }

    func setGroups(_ gids: [gid_t]) -> Int32 {
        record("setgroups", "\(gids)") { $0.euid == 0 ? 0 : EPERM }
    }

    func setGroupID(_ gid: gid_t) -> Int32 {
        record("setgid", "\(gid)") { state in
            guard state.euid == 0 || gid == state.gid else { return EPERM }
            state.gid = gid
            state.egid = gid
            return 0
        }
    }

    func setUserID(_ uid: uid_t) -> Int32 {
        record("setuid", "\(uid)") { state in
            guard state.euid == 0 || uid == state.uid || state.keepsSavedRoot else { return EPERM }
            if !state.setUIDIsIgnored {
                state.uid = uid
                state.euid = uid
            }
            return 0
        }
    }

    private func record(_ call: String, _ arguments: String, _ body: (inout State) -> Int32) -> Int32 {
        state.withLock { state in
            state.calls.append("\(call)(\(arguments))")
            if let failure = state.failing[call] { return failure }
            return body(&state)
        }
    }
}
