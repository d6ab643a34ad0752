import Foundation

/// The user ids of a running process's threads, from `/proc/<pid>/task/<tid>/status`.
///
/// Credentials are per thread on Linux; glibc's `setuid` changes every thread of the process except one that is
/// exiting. Swift's async `main` parks the main thread in libdispatch's `dispatch_main` (a `pthread_exit` that never
/// finishes), so that thread — the thread-group leader, whose ids `/proc/<pid>/status` and `ps` show — keeps the
/// ids it started with while every thread that runs code has switched. Hence the leader is reported apart.
struct ThreadCredentials {
    /// The leader's real, effective, saved and filesystem uids.
    var leader: [uid_t]
    /// The other threads' uids (real, effective, saved, filesystem), by thread id.
    var workers: [Int32: [uid_t]]

    init(pid: Int32) throws {
        var leader: [uid_t] = []
        var workers: [Int32: [uid_t]] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            guard let tid = Int32(entry),
                let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(entry)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") })
            else { continue }
            let ids = line.dropFirst("Uid:".count).split(whereSeparator: \.isWhitespace).compactMap { uid_t($0) }
            if tid == pid { leader = ids } else { workers[tid] = ids }
        }
        self.leader = leader
        self.workers = workers
    }
}
