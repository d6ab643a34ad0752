#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The user a command switches to: the owner of the state directory (the service user under systemd).
public struct ServiceAccount: Sendable, Equatable, CustomStringConvertible {
    /// The user id.
    public var uid: uid_t
    /// The primary group: the user's from the password database, else the directory's group.
    public var gid: gid_t
    /// The user's name when the password database knows the uid; then its supplementary groups are taken too.
    public var name: String?

    public init(uid: uid_t, gid: gid_t, name: String?) {
        self.uid = uid
        self.gid = gid
        self.name = name
    }

    public var description: String {
        if let name { return "\(name) (uid \(uid), gid \(gid))" }
        return "uid \(uid) (gid \(gid))"
    }
}
