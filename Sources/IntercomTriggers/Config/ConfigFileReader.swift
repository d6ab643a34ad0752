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
    }

    /// The UTF-8 text of the regular file at `path`, at most `limit` bytes.
    static func contents(of path: String, limit: Int) -> Result<Contents, Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return .failure(Failure(reason: String(cString: strerror(errno))))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(Failure(reason: "not a regular file")) }
        guard Int(status.st_size) <= limit else { return .failure(Failure(reason: "larger than \(limit) bytes")) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)))) }
            guard count > 0 else { break }
            bytes += buffer[..<count]
            guard bytes.count <= limit else { return .failure(Failure(reason: "larger than \(limit) bytes")) }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure(reason: "not UTF-8 text"))
        }
        return .success(Contents(text: text, othersCanRead: status.st_mode & 0o044 != 0))
    }

    /// The start of a file checked now and read by someone else later (a CA bundle, a client certificate or key).
    struct Head {
        /// At most the first `limit` bytes.
        var bytes: [UInt8]
        /// The mode grants read to group or others.
        var othersCanRead: Bool

        /// Whether `marker` (ASCII) occurs in ``bytes``.
        func contains(_ marker: String) -> Bool {
            let needle = Array(marker.utf8)
            guard !needle.isEmpty, bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                if bytes[start..<start + needle.count].elementsEqual(needle) { return true }
            }
            return false
        }
    }

    /// The first `limit` bytes of the regular file at `path`, which this process can open for reading.
    static func head(of path: String, limit: Int) -> Result<Head, Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return .failure(Failure(reason: String(cString: strerror(errno))))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(Failure(reason: "not a regular file")) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while bytes.count < limit {
            let wanted = min(buffer.count, limit - bytes.count)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)))) }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return .success(Head(bytes: bytes, othersCanRead: status.st_mode & 0o044 != 0))
    }
}
