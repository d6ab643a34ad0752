import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// The gate that bounds the workspaces' page requests in flight: its limit, its arrival order, cancellation.
@Suite struct PollGateTests {
    /// The order in which waiters got their place.
    final class Arrivals: Sendable {
        private let numbers = Mutex<[Int]>([])
        func append(_ number: Int) { numbers.withLock { $0.append(number) } }
        var all: [Int] { numbers.withLock { $0 } }
    }

    @Test func noMoreThanTheLimitEnterAndALeaveAdmitsTheNextInArrivalOrder() async throws {
        let gate = PollGate(limit: 2)
        let first = try await gate.enter()
        let second = try await gate.enter()
        #expect(gate.active == 2)
        let order = Arrivals()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...3 {
                group.addTask {
                    let permit = try await gate.enter()
                    order.append(number)
                    permit.leave()
                }
                // Queued one after another: each is in line before the next one asks.
                try await eventually("waiter \(number) in line") { gate.waiting == number }
            }
            #expect(order.all.isEmpty)
            first.leave()
            try await eventually("all three admitted") { order.all.count == 3 }
            try await group.waitForAll()
        }
        #expect(order.all == [1, 2, 3])
        #expect(gate.active == 1)
        second.leave()
        #expect(gate.active == 0)
    }

    @Test func aCancelledWaiterLeavesTheLineWithoutTakingAPlace() async throws {
        let gate = PollGate(limit: 1)
        let held = try await gate.enter()
        let waiter = Task { try await gate.enter() }
        try await eventually("in line") { gate.waiting == 1 }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        #expect(gate.waiting == 0)
        held.leave()
        #expect(gate.active == 0)
        // The place is free for the next one at once.
        let next = try await gate.enter()
        #expect(gate.active == 1)
        next.leave()
    }

    @Test(arguments: [0, -5])
    func aLimitBelowOneIsOne(limit: Int) async throws {
        let gate = PollGate(limit: limit)
        #expect(gate.limit == 1)
        let permit = try await gate.enter()
        #expect(gate.active == 1)
        permit.leave()
    }
}
