#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real ``PrivilegeSystem``: libc. glibc applies `setgroups`/`setgid`/`setuid` to every thread of the process.
public struct SystemPrivileges: PrivilegeSystem {
    public init() {}

    public func realUserID() -> uid_t { getuid() }
    public func effectiveUserID() -> uid_t { geteuid() }
    public func realGroupID() -> gid_t { getgid() }
    public func effectiveGroupID() -> gid_t { getegid() }

    public func owner(of path: String) -> FileOwner? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileOwner(uid: info.st_uid, gid: info.st_gid)
    }

    public func account(uid: uid_t) -> (name: String, gid: gid_t)? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        guard status == 0, let found = result?.pointee, let name = found.pw_name else { return nil }
        return (String(cString: name), found.pw_gid)
    }

    public func initializeGroups(name: String, gid: gid_t) -> Int32 {
        #if canImport(Darwin)
            initgroups(name, Int32(bitPattern: gid)) == 0 ? 0 : errno
        #else
            initgroups(name, gid) == 0 ? 0 : errno
        #endif
    }

    public func setGroups(_ gids: [gid_t]) -> Int32 {
        #if canImport(Darwin)
            setgroups(Int32(gids.count), gids) == 0 ? 0 : errno
        #else
            setgroups(gids.count, gids) == 0 ? 0 : errno
        #endif
    }

    public func setGroupID(_ gid: gid_t) -> Int32 { setgid(gid) == 0 ? 0 : errno }
    public func setUserID(_ uid: uid_t) -> Int32 { setuid(uid) == 0 ? 0 : errno }
}
