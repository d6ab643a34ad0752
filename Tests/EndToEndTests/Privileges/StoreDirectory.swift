import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A state directory inside a test's ``TemporaryDirectory``, handed to a user the way `StateDirectory=` hands
/// `/var/lib/intercom-triggerd` to the service user; and who owns what in it.
struct StoreDirectory {
    /// `nobody`/`nogroup` on Debian: a user that exists and is not root.
    static let nobody = (uid: uid_t(65_534), gid: gid_t(65_534))

    /// The directory.
    let path: String
    /// `state.sqlite` in it.
    var store: String { path + "/state.sqlite" }

    /// Creates `name` (mode 0700) in `parent`, owned by `owner`.
    init(_ name: String, in parent: TemporaryDirectory, owner: (uid: uid_t, gid: gid_t)) throws {
        path = parent.path(name)
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try Self.handOver(path, to: owner)
    }

    /// Every entry of the directory (the directory itself as ".") and its owner's uid.
    func owners() throws -> [String: uid_t] {
        var owners = [".": try Self.uid(of: path)]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            owners[name] = try Self.uid(of: path + "/" + name)
        }
        return owners
    }

    /// `chown(2)`.
    static func handOver(_ path: String, to owner: (uid: uid_t, gid: gid_t)) throws {
        guard chown(path, owner.uid, owner.gid) == 0 else {
            throw EndToEndError("chown \(owner.uid):\(owner.gid) \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The owner of `path` (not following a symlink).
    static func uid(of path: String) throws -> uid_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw EndToEndError("stat \(path): \(String(cString: strerror(errno)))") }
        return info.st_uid
    }
}
