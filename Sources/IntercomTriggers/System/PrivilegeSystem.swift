#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls a privilege drop needs, behind a seam so tests can walk the decision table and the
/// order of calls without being root or changing the test process's identity. ``SystemPrivileges`` is the real one.
///
/// The `set…` calls return 0 on success or the `errno` value on failure.
public protocol PrivilegeSystem: Sendable {
    /// `getuid()`.
    func realUserID() -> uid_t
    /// `geteuid()`.
    func effectiveUserID() -> uid_t
    /// `getgid()`.
    func realGroupID() -> gid_t
    /// `getegid()`.
    func effectiveGroupID() -> gid_t
    /// The owner of the file or directory at `path` (`stat`, following symlinks), or `nil` when there is none.
    func owner(of path: String) -> FileOwner?
    /// The password database's entry for `uid`: its name and primary group, or `nil` when it has none.
    func account(uid: uid_t) -> (name: String, gid: gid_t)?
    /// `initgroups(name, gid)`: the user's supplementary groups.
    func initializeGroups(name: String, gid: gid_t) -> Int32
    /// `setgroups(gids)`.
    func setGroups(_ gids: [gid_t]) -> Int32
    /// `setgid(gid)`.
    func setGroupID(_ gid: gid_t) -> Int32
    /// `setuid(uid)`.
    func setUserID(_ uid: uid_t) -> Int32
}
