#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The user and group a file belongs to.
public struct FileOwner: Sendable, Equatable, CustomStringConvertible {
    /// The owning user.
    public var uid: uid_t
    /// The owning group.
    public var gid: gid_t

    public init(uid: uid_t, gid: gid_t) {
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "\(uid):\(gid)" }
}
