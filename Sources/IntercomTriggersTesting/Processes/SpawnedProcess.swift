import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests and their equipment.
///
/// Not Foundation's `Process`: on Linux its `run()` lists `/proc/self/fd` with a fixed 256-byte copy of each
/// directory entry, which reads past glibc's buffer now and then and kills the whole test process with SIGSEGV
/// (swift-corelibs-foundation#5472, fixed after the toolchain here; it crashed a CI run of this suite). It also
/// changes the process-wide working directory while it spawns. Here the child closes every descriptor from 3 up
/// itself (`posix_spawn_file_actions_addclosefrom_np`), changes its own directory, and starts with no signal
/// blocked (the threads Swift concurrency runs on block nearly all of them, and a child inherits the mask).
public final class SpawnedProcess: Sendable {
    /// How a child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case killed(by: Int32)

        /// The exit status, or the signal's number.
        public var status: Int32 {
            switch self {
            case .exited(let status), .killed(by: let status): status
            }
        }
    }

    /// A spawn that failed: the call and the error it returned.
    public struct SpawnError: Error, CustomStringConvertible {
        public var executable: String
        public var code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// The child's process id (only signalled while the child has not been reaped, so never another's).
    public let pid: pid_t
    private let state = Mutex<(ended: Termination?, waiters: [CheckedContinuation<Termination, Never>])>((nil, []))
    private let endedCondition = NSCondition()

    /// Starts `executable` with `arguments`; its standard input, output and error are the descriptors given (nil:
    /// /dev/null), which stay the caller's to close. `environment` nil: this process's; `directory` nil: this one's.
    public init(
        executable: String, arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw SpawnError(executable: executable, code: errno) }
        defer { close(null) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in [(0, standardInput), (1, standardOutput), (2, standardError)] {
            posix_spawn_file_actions_adddup2(&actions, source ?? null, Int32(target))
        }
        guard Self.closeFrom(&actions, 3) == 0 else { throw SpawnError(executable: executable, code: errno) }
        if let directory {
            let code = Self.changeDirectory(&actions, directory)
            guard code == 0 else { throw SpawnError(executable: executable, code: code) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for pointer in envp ?? [] { free(pointer) } }
        var pid = pid_t()
        let code = argv.withUnsafeBufferPointer { argv in
            if let envp {
                return envp.withUnsafeBufferPointer { envp in
                    posix_spawn(&pid, executable, &actions, &attributes, argv.baseAddress!, envp.baseAddress!)
                }
            }
            return posix_spawn(&pid, executable, &actions, &attributes, argv.baseAddress!, environ)
        }
        guard code == 0 else { throw SpawnError(executable: executable, code: code) }
        self.pid = pid
        let reaper = Thread { [self] in reap() }
        reaper.name = "spawned process reaper"
        reaper.start()
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { termination == nil }

    /// How the child ended; nil while it runs.
    public var termination: Termination? { state.withLock { $0.ended } }

    /// Sends `signal` to the child, unless it has ended.
    public func send(_ signal: Int32) {
        state.withLock { state in
            if state.ended == nil { _ = kill(pid, signal) }
        }
    }

    /// Blocks the calling thread until the child has ended.
    @discardableResult
    public func waitUntilExit() -> Termination {
        endedCondition.lock()
        defer { endedCondition.unlock() }
        while true {
            if let ended = termination { return ended }
            endedCondition.wait()
        }
    }

    /// Suspends until the child has ended.
    @discardableResult
    public func exited() async -> Termination {
        await withCheckedContinuation { continuation in
            let ended = state.withLock { state -> Termination? in
                if state.ended == nil { state.waiters.append(continuation) }
                return state.ended
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    /// Waits for the child's end without reaping it, then records it and reaps it under the lock that ``send(_:)``
    /// takes: the pid is never signalled once the system may have given it to another process.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        var status: Int32 = 0
        let (ended, waiters) = state.withLock { state in
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let signalled = status & 0x7f
            let ended: Termination = signalled == 0 ? .exited((status >> 8) & 0xff) : .killed(by: signalled)
            defer { state = (ended, []) }
            return (ended, state.waiters)
        }
        endedCondition.lock()
        endedCondition.broadcast()
        endedCondition.unlock()
        for waiter in waiters { waiter.resume(returning: ended) }
    }

    // glibc has both since 2.34 / 2.29, but Swift's Glibc module does not declare them: looked up once.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32

    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: CloseFrom.self)(&actions, lowest)
    }

    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: ChangeDirectory.self)(&actions, path)
    }
}
