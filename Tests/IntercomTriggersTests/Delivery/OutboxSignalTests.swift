import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct OutboxSignalTests {
    @Test func aNotifyBeforeTheWaitIsNotLost() async {
        let signal = OutboxSignal()
        let token = signal.generation
        signal.notify()
        let after = await signal.wait(since: token)
        #expect(after == token + 1)
    }

    @Test func notifyWakesEveryWaiter() async throws {
        let signal = OutboxSignal()
        let token = signal.generation
        try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0..<3 {
                group.addTask { await signal.wait(since: token) }
            }
            try await eventually { signal.waiterCount == 3 }
            signal.notify()
            var woken = 0
            for try await generation in group {
                #expect(generation == token + 1)
                woken += 1
            }
            #expect(woken == 3)
        }
        #expect(signal.waiterCount == 0)
    }

    @Test func cancellingAWaitReturnsAndForgetsIt() async throws {
        let signal = OutboxSignal()
        let waiter = Task { await signal.wait(since: signal.generation) }
        try await eventually { signal.waiterCount == 1 }
        waiter.cancel()
        #expect(await waiter.value == 0)
        #expect(signal.waiterCount == 0)
    }

    @Test func aWaitInACancelledTaskReturnsAtOnce() async {
        let signal = OutboxSignal()
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await signal.wait(since: signal.generation)
        }
        #expect(await waiter.value == 0)
        #expect(signal.waiterCount == 0)
    }

}
