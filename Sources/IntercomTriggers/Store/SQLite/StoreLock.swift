import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's exclusive hold on a store: a non-blocking `flock` on `<store>.lock`, which holds the pid.
///
/// `flock` locks belong to the open file description, so the kernel drops the lock when the process
/// dies, however it dies; a stale lock file on disk means nothing.
final class StoreLock: Sendable {
    /// The lock file's path.
    let path: String
    private let descriptor: Mutex<Int32>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        release()
    }

    /// Takes the lock or throws ``StoreError/locked(path:pid:)`` naming the holder's pid.
    ///
    /// The lock file sits beside the store's real path (links and relative paths resolved), so two daemons
    /// pointed at one store through different paths still exclude each other.
    static func acquire(storePath: String) throws -> StoreLock {
        let lockPath = canonical(storePath) + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(path: storePath, reason: "lock file \(lockPath): \(errnoText(errno))")
        }
        var failure: Int32 = 0
        var holder: Int32?
        for attempt in 0..<10 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                failure = 0
                break
            }
            failure = errno
            holder = readPID(fd)
            // A lock this process seems to hold after closing it is one a child being spawned still shares
            // until its exec closes the descriptor (`flock` belongs to the open file description, and
            // O_CLOEXEC only acts at exec): wait that out briefly. Another process's lock is answered at once.
            guard (failure == EWOULDBLOCK || failure == EAGAIN) && holder == getpid() && attempt < 9 else { break }
            usleep(10_000)
        }
        guard failure == 0 else {
            close(fd)
            if failure == EWOULDBLOCK || failure == EAGAIN {
                throw StoreError.locked(path: storePath, pid: holder)
            }
            throw StoreError.cannotOpen(path: storePath, reason: "lock file \(lockPath): \(errnoText(failure))")
        }
        // The pid is only informative (for the message of the next one who tries), so failures are ignored.
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return StoreLock(path: lockPath, descriptor: fd)
    }

    /// `path` with every symbolic link and relative part resolved: the file's real path when it exists, else
    /// its directory's real path and its name.
    static func canonical(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard let realDirectory = realPath(directory) else { return url.standardizedFileURL.path }
        return (realDirectory as NSString).appendingPathComponent(url.lastPathComponent)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Drops the lock (idempotent). The file stays, so its owner and mode survive restarts.
    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
        }
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
