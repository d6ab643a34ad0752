import Synchronization
import Testing

@testable import IntercomTriggers

/// ``DeadlineRace``: the caller gets an answer even from an operation that neither ends nor honours cancellation.
@Suite struct DeadlineRaceTests {
    struct GaveUp: Error, Equatable {}
    struct Failed: Error, Equatable {}

    /// Never ends and ignores cancellation (a continuation nobody resumes), like a query on a dead connection;
    /// `release` lets it end so the test leaves nothing behind.
    final class Stuck: Sendable {
        private let waiter = Mutex<CheckedContinuation<Void, Never>?>(nil)
        private let released = Mutex(false)

        func wait() async {
            await withCheckedContinuation { continuation in
                let resume = released.withLock { released in
                    if !released { waiter.withLock { $0 = continuation } }
                    return released
                }
                if resume { continuation.resume() }
            }
        }

        func release() {
            released.withLock { $0 = true }
            waiter.withLock { $0.take() }?.resume()
        }
    }

    @Test func theOperationsResultWinsBeforeTheWatchdog() async throws {
        let result = try await DeadlineRace.run {
            42
        } watchdog: {
            try await Task.sleep(for: .seconds(30))
            return GaveUp()
        }
        #expect(result == 42)
    }

    @Test func theOperationsErrorReachesTheCaller() async throws {
        await #expect(throws: Failed()) {
            try await DeadlineRace.run { () async throws -> Int in
                throw Failed()
            } watchdog: {
                try await Task.sleep(for: .seconds(30))
                return GaveUp()
            }
        }
    }

    @Test func aStuckOperationIsLeftBehindWhenTheWatchdogGivesUp() async throws {
        let stuck = Stuck()
        defer { stuck.release() }
        let ran = Atomic(false)
        await #expect(throws: GaveUp()) {
            try await DeadlineRace.run { () async throws -> Int in
                ran.store(true, ordering: .relaxed)
                await stuck.wait()
                return 1
            } watchdog: {
                try await Task.sleep(for: .milliseconds(50))
                return GaveUp()
            }
        }
        let started = ran.load(ordering: .relaxed)
        #expect(started)
    }

    @Test func aCancelledCallerReturnsAtOnceThoughTheOperationIsStuck() async throws {
        let stuck = Stuck()
        defer { stuck.release() }
        let caller = Task {
            try await DeadlineRace.run { () async throws -> Int in
                await stuck.wait()
                return 1
            } watchdog: {
                try await Task.sleep(for: .seconds(30))
                return GaveUp()
            }
        }
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
    }

    @Test func theWatchdogIsCancelledWhenTheOperationEnds() async throws {
        let watchdogEnded = Mutex<(any Error)?>(nil)
        let stopped = Stuck()
        _ = try await DeadlineRace.run {
            1
        } watchdog: {
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                watchdogEnded.withLock { $0 = error }
                stopped.release()
                throw error
            }
            return GaveUp()
        }
        await stopped.wait()
        #expect(watchdogEnded.withLock { $0 } is CancellationError)
    }
}
