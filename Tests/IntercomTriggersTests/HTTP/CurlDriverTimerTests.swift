import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// The driver's thread as the process's timer and as a task executor (what ``SystemWallClock`` and the poll loops
/// use): sleepers never wake before their deadlines (and the queue hands them out in deadline order), a cancelled
/// or stopped sleep ends at once, and a task that prefers the driver runs on its thread, requests included.
@Suite struct CurlDriverTimerTests {
    /// The order in which the driver hands out due deadlines is the queue's (the table test below); which of
    /// several sleepers resumed together finishes first is the scheduler's, and on a loaded machine all three may
    /// register after every deadline has passed, so this test asserts what holds under any load: every sleeper
    /// wakes, and none before its deadline.
    @Test func sleepersWakeNeverBeforeTheirDeadlines() async throws {
        try await CurlTestBed.withDriver { _, driver in
            let start = ContinuousClock.now
            let deadlines = [300, 100, 200].map { start + .milliseconds($0) }
            let woken = try await withThrowingTaskGroup(of: (Int, ContinuousClock.Instant).self) { group in
                for (index, deadline) in deadlines.enumerated() {
                    group.addTask {
                        try await driver.sleep(until: deadline)
                        return (index, ContinuousClock.now)
                    }
                }
                return try await group.reduce(into: [Int: ContinuousClock.Instant]()) { $0[$1.0] = $1.1 }
            }
            #expect(woken.count == deadlines.count)
            for (index, deadline) in deadlines.enumerated() {
                #expect(try #require(woken[index]) >= deadline)
            }
        }
    }

    @Test func aDeadlineInThePastReturnsAtOnce() async throws {
        try await CurlTestBed.withDriver { _, driver in
            try await driver.sleep(until: .now - .seconds(5))
        }
    }

    @Test func aCancelledSleepEndsAtOnceWithCancellation() async throws {
        try await CurlTestBed.withDriver { _, driver in
            let sleeper = Task { try await driver.sleep(until: .now + .seconds(3_600)) }
            try await Task.sleep(for: .milliseconds(50))
            sleeper.cancel()
            await #expect(throws: CancellationError.self) { try await sleeper.value }
            // Cancelled before it starts: refused without waiting.
            let early = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await driver.sleep(until: .now + .seconds(3_600))
            }
            await #expect(throws: CancellationError.self) { try await early.value }
        }
    }

    @Test func stoppingTheDriverEndsItsSleepers() async throws {
        let driver = CurlDriver()
        let sleeper = Task { try await driver.sleep(until: .now + .seconds(3_600)) }
        try await Task.sleep(for: .milliseconds(50))
        await driver.stop()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        await #expect(throws: CancellationError.self) { try await driver.sleep(until: .now + .seconds(1)) }
    }

    @Test func aTaskThatPrefersTheDriverRunsOnItsThreadAcrossRequestsAndSleeps() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200, body: "{}") }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, driver in
                let onDriver = try await Task(executorPreference: driver) {
                    var onDriver: [Bool] = []
                    for _ in 0..<3 {
                        onDriver.append(driver.isCurrentThread)
                        _ = try await transport.send(
                            CurlTransportTests.post(server.baseURL + "/hook", timeout: .seconds(60)))
                        onDriver.append(driver.isCurrentThread)
                        try await driver.sleep(until: .now + .milliseconds(10))
                    }
                    return onDriver
                }.value
                #expect(onDriver.count == 6)
                #expect(Set(onDriver) == [true])
            }
        }
    }

    /// Operators find the HTTP thread by name (`top -H`, `ps -L`, `perf`); a name longer than Linux keeps (15
    /// bytes), or one set where it never reaches the kernel, leaves the name it inherited.
    @Test func theDriversThreadCarriesItsName() async throws {
        try await CurlTestBed.withDriver { _, driver in
            let name = await Task(executorPreference: driver) {
                (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            }.value
            #expect(name.trimmingCharacters(in: .whitespacesAndNewlines) == CurlDriver.threadName)
        }
    }

    /// The jobs that jobs queue (here: yields, each a job or two more) run in the same turn, up to
    /// ``CurlDriver/jobRoundsPerTurn`` rounds: forty hops take a handful of turns (ten here), not one each.
    @Test func jobsThatQueueJobsRunInTheSameTurn() async throws {
        try await CurlTestBed.withDriver { _, driver in
            let turns = await Task(executorPreference: driver) {
                let before = driver.turns
                for _ in 0..<40 { await Task.yield() }
                return driver.turns - before
            }.value
            #expect(turns >= 1)
            #expect(turns <= 20)
        }
    }

    /// The bound on a turn's rounds: a task that hops without end (yields here) does not starve a transfer on the
    /// same thread. The request is answered while the hopping goes on; without the bound it would be served only
    /// once the hopper gave up, after a minute (a bound no loaded machine comes near, and no timing claim: the
    /// test only ever waits that long when the driver is broken).
    @Test func endlessHopsDoNotStarveATransfer() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200, body: "{}") }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, driver in
                let answered = Atomic(false)
                let hopper = Task(executorPreference: driver) {
                    let giveUp = ContinuousClock.now + .seconds(60)
                    while !answered.load(ordering: .acquiring), ContinuousClock.now < giveUp {
                        await Task.yield()
                    }
                    return answered.load(ordering: .acquiring)
                }
                let sent = await Task(executorPreference: driver) {
                    try await transport.send(CurlTransportTests.post(server.baseURL + "/hook")).status
                }.result
                answered.store(true, ordering: .releasing)
                let hopperSawTheAnswer = await hopper.value
                let status = try sent.get()
                #expect(status == 200)
                #expect(hopperSawTheAnswer, "the hopper gave up before the transfer was answered")
            }
        }
    }

    @Test(arguments: [
        ([5, 1, 3, 1], [1, 3, 2, 0]), ([], []), ([2, 2, 2], [0, 1, 2]), ([0, 4, 0, 3], [0, 2, 3, 1]),
    ])
    func theQueueKeepsDeadlinesInOrderAndArrivalsInOrderWithin(_ offsets: [Int], _ order: [Int]) {
        let base = ContinuousClock.now
        var queue = DeadlineQueue<Int>()
        for (index, offset) in offsets.enumerated() {
            queue.insert(.init(id: UInt64(index), deadline: base + .seconds(offset), waiter: index))
        }
        #expect(queue.entries.map(\.waiter) == order)
        #expect(queue.earliest == offsets.min().map { base + .seconds($0) })
        let due = queue.takeDue(at: base + .seconds(2))
        #expect(due.map(\.waiter) == order.filter { offsets[$0] <= 2 })
        #expect(queue.entries.map(\.waiter) == order.filter { offsets[$0] > 2 })
        if let first = queue.entries.first {
            #expect(queue.remove(id: first.id)?.waiter == first.waiter)
            #expect(queue.remove(id: first.id) == nil)
        }
        _ = queue.takeAll()
        #expect(queue.isEmpty)
    }

    /// A flexible entry (earliest before deadline) never sets the wake-up before its deadline, but a turn of the
    /// thread from its earliest instant on takes it along; the strict entries keep their order around it.
    @Test func aFlexibleEntryRidesOnAnotherWakeUpFromItsEarliestInstant() {
        let base = ContinuousClock.now
        var queue = DeadlineQueue<String>()
        queue.insert(.init(id: 1, deadline: base + .seconds(10), earliest: base + .seconds(5), waiter: "flexible"))
        queue.insert(.init(id: 2, deadline: base + .seconds(3), waiter: "three"))
        queue.insert(.init(id: 3, deadline: base + .seconds(6), waiter: "six"))
        // The earliest deadline decides the wait, not the flexible entry's earliest instant.
        #expect(queue.earliest == base + .seconds(3))
        #expect(queue.takeDue(at: base + .seconds(4)).map(\.waiter) == ["three"])
        #expect(queue.milliseconds(from: base + .seconds(4), limit: 60_000) == 2_000)
        // Awake for "six": the flexible entry (earliest 5 s) comes along, after the strict ones.
        #expect(queue.takeDue(at: base + .seconds(6)).map(\.waiter) == ["six", "flexible"])
        #expect(queue.isEmpty)

        // Alone, it is due at its deadline; before its earliest instant it stays; it can be removed; an earliest
        // after the deadline is the deadline.
        queue.insert(.init(id: 4, deadline: base + .seconds(10), earliest: base + .seconds(5), waiter: "alone"))
        #expect(queue.earliest == base + .seconds(10))
        #expect(queue.takeDue(at: base + .seconds(4)).isEmpty)
        #expect(queue.remove(id: 4)?.waiter == "alone")
        #expect(queue.isEmpty)
        queue.insert(.init(id: 5, deadline: base + .seconds(2), earliest: base + .seconds(9), waiter: "late"))
        #expect(queue.flexible.isEmpty)
        #expect(queue.entries.map(\.earliest) == [base + .seconds(2)])
        #expect(queue.takeAll().map(\.waiter) == ["late"])
    }

    /// Through the driver: a chore that may end from 50 ms on but must by 60 s ends with one of the thread's next
    /// wake-ups (another sleeper's, every 100 ms), whenever it registered (a bound on how late would be a timing
    /// claim; a failure would take the whole minute).
    @Test func aFlexibleSleeperEndsWithTheNextWakeUpAfterItsEarliestInstant() async throws {
        try await CurlTestBed.withDriver { _, driver in
            let start = ContinuousClock.now
            let done = DoneFlag()
            async let chore: ContinuousClock.Instant = {
                defer { done.value.store(true, ordering: .releasing) }
                try await driver.sleep(until: start + .seconds(60), earliest: start + .milliseconds(50))
                return ContinuousClock.now
            }()
            while !done.value.load(ordering: .acquiring) {
                try await driver.sleep(until: .now + .milliseconds(100))
            }
            let ended = try await chore
            #expect(ended >= start + .milliseconds(50))
            #expect(ended < start + .seconds(60))
        }
    }

    private final class DoneFlag: Sendable {
        let value = Atomic(false)
    }

    @Test func theQueueRoundsItsWaitUpAndCapsIt() {
        let base = ContinuousClock.now
        var queue = DeadlineQueue<Int>()
        #expect(queue.milliseconds(from: base, limit: 10_000) == 10_000)
        queue.insert(.init(id: 1, deadline: base + .microseconds(1_500), waiter: 1))
        #expect(queue.milliseconds(from: base, limit: 10_000) == 2)
        #expect(queue.milliseconds(from: base + .seconds(1), limit: 10_000) == 0)
        #expect(queue.milliseconds(from: base - .seconds(100_000), limit: 10_000) == 10_000)
        #expect(queue.milliseconds(from: base - .seconds(5), limit: 10_000) == 5_002)
    }
}
