import Foundation

/// A task executor with threads of its own: code run under it (``run(_:)``) does not need the cooperative
/// pool to be free. In-process servers of the end-to-end tests (webhook receivers) run on it, so that a test
/// process whose pool is busy (or blocked by another suite) still answers the daemon under test in time.
public final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `head` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    /// The executor the test kit's receivers use: two threads, for the life of the process (a job enqueued
    /// late by a leftover continuation must still run).
    public static let receivers = DedicatedExecutor(name: "test-receivers", threads: 2)

    private init(name: String, threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` (and every child task it starts) on this executor's threads.
    public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try await body() }
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head > 1_024, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
