#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads small text files (the configuration, secrets) and tells whether others may read them.
enum ConfigFileReader {
    /// What was read.
    struct Contents {
        var text: String
        /// The mode grants read to group or others.
        var othersCanRead: Bool
    }

    /// Why a file could not be read, worded for an operator ("Permission denied", "not a regular file").
    struct Failure: Error {
        var reason: String
        /// The path does not exist.
        var missing = false
    }

    /// The names in the directory at `path`, `.` and `..` left out, in no particular order.
    static func names(inDirectory path: String) -> Result<[String], Failure> {
        guard let directory = opendir(path) else {
            return .failure(Failure(reason: String(cString: strerror(errno)), missing: errno == ENOENT))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            // readdir returns nil both at the end and on an error, which only errno tells apart.
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { return .failure(Failure(reason: String(cString: strerror(errno)))) }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// The UTF-8 text of the regular file at `path`, at most `limit` bytes.
    static func contents(of path: String, limit: Int) -> Result<Contents, Failure> {
        readRegularFile(path, limit: limit, longerFails: true).flatMap { bytes, othersCanRead in
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failure(Failure(reason: "not UTF-8 text"))
            }
            return .success(Contents(text: text, othersCanRead: othersCanRead))
        }
    }

    /// The start of a file checked now and read by someone else later (a CA bundle, a client certificate or key).
    struct Head {
        /// At most the first `limit` bytes.
        var bytes: [UInt8]
        /// The mode grants read to group or others.
        var othersCanRead: Bool

        /// Whether `marker` (ASCII) occurs in ``bytes``.
        func contains(_ marker: String) -> Bool {
            !marker.isEmpty && bytes.firstRange(of: Array(marker.utf8)) != nil
        }
    }

    /// The first `limit` bytes of the regular file at `path`, which this process can open for reading.
    static func head(of path: String, limit: Int) -> Result<Head, Failure> {
        readRegularFile(path, limit: limit, longerFails: false).map { Head(bytes: $0, othersCanRead: $1) }
    }

    /// The bytes of the regular file at `path` up to `limit` (a longer file fails when `longerFails`), and
    /// whether its mode lets group or others read it.
    private static func readRegularFile(
        _ path: String, limit: Int, longerFails: Bool
    ) -> Result<(bytes: [UInt8], othersCanRead: Bool), Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return .failure(Failure(reason: String(cString: strerror(errno))))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(Failure(reason: "not a regular file")) }
        let tooLong = Failure(reason: "larger than \(limit) bytes")
        if longerFails && Int(status.st_size) > limit { return .failure(tooLong) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        // One byte past the limit tells a file that is too long from one that is exactly as long.
        let wanted = longerFails ? limit + 1 : limit
        while bytes.count < wanted {
            let room = min(buffer.count, wanted - bytes.count)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, room) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)))) }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        if bytes.count > limit { return .failure(tooLong) }
        return .success((bytes, status.st_mode & 0o044 != 0))
    }
}
