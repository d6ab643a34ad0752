#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat` says about a store's database and `-wal` files: any commit, by any process, appends to the WAL (or,
/// at a checkpoint, writes the database), which moves a size or a modification time. Two equal stamps mean nothing
/// was committed between them, which lets ``SQLiteStore/outsideWriteVersion()`` skip its look at the store (a hop to
/// GRDB's writer queue and back) on an idle daemon. One blind spot remains — a WAL that restarts from its first
/// frame and ends at its old size within the filesystem's timestamp granularity (a few milliseconds) — which is why
/// the store still looks at least every ``SQLiteStore/outsideLookRefresh``.
struct StoreFileStamp: Equatable, Sendable {
    /// One file's identity, size and modification time; nil when the file does not exist.
    struct File: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
    }

    let files: [File?]

    /// The stamp of `paths` now, or nil when one of them cannot be examined (then only a real look can tell).
    init?(paths: [String]) {
        var files: [File?] = []
        files.reserveCapacity(paths.count)
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0 {
                #if canImport(Darwin)
                    let modified = info.st_mtimespec
                #else
                    let modified = info.st_mtim
                #endif
                files.append(
                    File(
                        device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                        modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec)))
            } else if errno == ENOENT {
                files.append(nil)
            } else {
                return nil
            }
        }
        self.files = files
    }
}
