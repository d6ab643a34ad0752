import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files that make up a store on disk, and keeping them usable by the service user.
///
/// SQLite creates `-wal` and `-shm` as whoever opens the database. An admin command run as root must not
/// leave files the service user cannot open, so after opening as root the files are handed back to the
/// owner of the database (or of its directory).
struct StoreFiles {
    /// A file owner.
    struct Owner: Equatable {
        var uid: uid_t
        var gid: gid_t
    }

    /// The database path.
    let path: String

    /// SQLite's write-ahead log beside the database.
    var walPath: String { path + "-wal" }

    /// The database and every companion file, existing or not.
    var allPaths: [String] { [path, walPath, path + "-shm", path + ".lock"] }

    /// The directory holding the database.
    var directory: String { (path as NSString).deletingLastPathComponent }

    /// Creates the directory (0700) and an empty database file (0600) when missing, so SQLite's
    /// `-wal`/`-shm`, which copy the database file's mode, are private too.
    func prepare() throws {
        let manager = FileManager.default
        let directory = directory.isEmpty ? "." : directory
        if !manager.fileExists(atPath: directory) {
            do {
                try manager.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create directory \(directory): \(error)")
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw StoreError.cannotOpen(path: path, reason: StoreLock.errnoText(errno))
        }
    }

    /// The owner of `path`, or `nil` when it does not exist.
    static func owner(of path: String) -> Owner? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Owner(uid: info.st_uid, gid: info.st_gid)
    }

    /// Whom the files should belong to after a process with effective uid `effectiveUID` opened them:
    /// `nil` (leave them) unless running as root and the database, or else its directory, belongs to
    /// another user.
    static func ownerToRestore(effectiveUID: uid_t, database: Owner?, directory: Owner?) -> Owner? {
        guard effectiveUID == 0, let owner = database ?? directory, owner.uid != 0 else { return nil }
        return owner
    }

    /// Hands every store file that is a regular file to `owner`, never following a symbolic link.
    ///
    /// The directory may belong to the service user, who could plant a link named like a companion file
    /// (`state.sqlite-wal` → `/etc/shadow`): `fchownat(…, AT_SYMLINK_NOFOLLOW)` changes the entry itself, and
    /// links, which SQLite never creates, are skipped rather than re-owned. Only the last component is
    /// guarded; the directories above it are the operator's choice of path.
    func chown(to owner: Owner) throws {
        for file in allPaths {
            var info = stat()
            guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if fchownat(AT_FDCWD, file, owner.uid, owner.gid, AT_SYMLINK_NOFOLLOW) != 0 {
                throw StoreError.cannotOpen(
                    path: path, reason: "cannot hand \(file) back to uid \(owner.uid): \(StoreLock.errnoText(errno))")
            }
        }
    }
}
