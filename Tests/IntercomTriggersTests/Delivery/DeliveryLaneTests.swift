import Foundation
import IntercomTriggersTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import IntercomTriggers

@Suite struct DeliveryLaneTests {
    @Test func deliversEverythingDueAcrossSeveralBatchesInOrder() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(7)
            let sink = FakeSink()
            let lane = fixture.lane(sink: sink, batchSize: 3)
            try await fixture.running([lane]) {
                try await eventually("all delivered") { try await fixture.deliveredCount(of: 7) == 7 }
            }
            let seqs = events.map(\.seq)
            #expect(sink.batches == [Array(seqs[0..<3]), Array(seqs[3..<6]), [seqs[6]]])
            #expect(sink.entries.allSatisfy { $0.attempts == 0 })
            #expect(try await fixture.store.destinationSummaries().first?.lastDeliveredAt == fixture.clock.seconds)
            #expect(lane.status.delivered == 7)
            #expect(lane.status.state == .finished)
        }
    }

    @Test func aFailedAttemptIsScheduledAndRetriedUntilDelivered() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(2)
            let start = fixture.clock.seconds
            let sink = FakeSink { entry in
                entry.attempts == 0 ? .failed(status: 500, error: "boom", retryAfter: nil) : .delivered
            }
            let lane = fixture.lane(sink: sink, retrySchedule: FixedRetrySchedule(delay: .seconds(5)))
            try await fixture.running([lane]) {
                try await eventually("both failed once") {
                    try await fixture.pending().allSatisfy { $0.attempts == 1 }
                }
                let failed = try await fixture.pending()
                #expect(failed.count == 2)
                for entry in failed {
                    #expect(entry.nextAttemptAt == start + 5)
                    #expect(entry.lastStatus == 500)
                    #expect(entry.lastError == "boom")
                    #expect(entry.firstSentAt == start)
                }
                // The lane sleeps until the rows fall due; move the clock there.
                try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                fixture.clock.advance(by: 5)
                try await eventually("both delivered") { try await fixture.deliveredCount(of: 2) == 2 }
            }
            let retried = sink.entries.suffix(2)
            #expect(retried.allSatisfy { $0.attempts == 1 && $0.firstSentAt == start })
            #expect(lane.status.failed == 2)
            #expect(lane.status.delivered == 2)
        }
    }

    @Test func retryAfterFromTheSinkWinsOverTheSchedule() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(1)
            let sink = FakeSink { _ in .failed(status: 503, error: "later", retryAfter: .seconds(30)) }
            let lane = fixture.lane(sink: sink)
            try await fixture.running([lane]) {
                try await eventually("failed once") { try await fixture.pending().first?.attempts == 1 }
            }
            await #expect(try fixture.pending().first?.nextAttemptAt == fixture.clock.seconds + 30)
        }
    }

    @Test func anExhaustedScheduleMakesADeadLetter() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(2)
            let sink = FakeSink { _ in .failed(status: nil, error: "refused", retryAfter: nil) }
            let lane = fixture.lane(sink: sink, retrySchedule: FixedRetrySchedule(delay: .seconds(5), maxAttempts: 1))
            try await fixture.running([lane]) {
                try await eventually("dead letters") { try await fixture.store.deadLetterCounts() == ["console": 2] }
            }
            let dead = try await fixture.store.deadLetters(destination: "console")
            #expect(dead.count == 2)
            await #expect(try fixture.pending().isEmpty)
        }
    }

    @Test func aThrottledAttemptPausesTheWholeLane() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(2)
            let start = fixture.clock.seconds
            let sink = FakeSink { entry in
                entry.attempts == 0 && entry.event.seq == events[0].seq
                    ? .throttled(status: 429, error: "slow down", retryAfter: .seconds(60)) : .delivered
            }
            let lane = fixture.lane(sink: sink, batchSize: 1)
            try await fixture.running([lane]) {
                try await eventually("throttled") { lane.status.state == .throttled(until: start + 60) }
                // Paused: the second event, due all along, has not been sent.
                #expect(sink.batches == [[events[0].seq]])
                try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                fixture.clock.advance(by: 60)
                try await eventually("both delivered") { try await fixture.deliveredCount(of: 2) == 2 }
            }
            #expect(sink.batches == [[events[0].seq], [events[0].seq], [events[1].seq]])
        }
    }

    @Test func aGoneDestinationIsDisabledUntilReenabled() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(1)
            let gone = Mutex(true)
            let sink = FakeSink { _ in gone.withLock { $0 } ? .disable(reason: "410 Gone") : .delivered }
            let lane = fixture.lane(sink: sink, idlePoll: .seconds(10))
            try await fixture.running([lane]) {
                try await eventually("disabled") { lane.status.state == .disabled(reason: "410 Gone") }
                #expect(try await fixture.store.destinationStates().map(\.name) == ["console"])
                await #expect(try fixture.pending().first?.attempts == 0)

                gone.withLock { $0 = false }
                try await fixture.store.enableDestination("console")
                try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                fixture.clock.advance(by: 10)
                try await eventually("delivered") { try await fixture.deliveredCount(of: 1) == 1 }
            }
            #expect(sink.batches.count == 2)
        }
    }

    @Test func lanesAreIndependent() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(3, to: ["slow", "fast"])
            let slow = FakeSink()
            slow.hold()
            let fast = FakeSink()
            let slowLane = fixture.lane("slow", sink: slow)
            let fastLane = fixture.lane("fast", sink: fast)
            try await fixture.running([slowLane, fastLane]) {
                try await eventually("the fast lane delivers everything") {
                    try await fixture.deliveredCount("fast", of: 3) == 3
                }
                // The slow lane is still inside its first batch.
                #expect(slow.batches.count == 1)
                await #expect(try fixture.pending("slow").count == 3)
                slow.release()
                try await eventually("the slow lane catches up") {
                    try await fixture.deliveredCount("slow", of: 3) == 3
                }
            }
        }
    }

    @Test func gracefulShutdownFinishesTheBatchInHandAndLeavesTheRestPending() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(6)
            let sink = FakeSink()
            sink.hold()
            let lane = fixture.lane(sink: sink, batchSize: 2)
            let group = ServiceGroup(
                configuration: .init(services: [lane], gracefulShutdownSignals: [], logger: DeliveryFixture.quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await eventually("the first batch is in hand") { sink.batches.count == 1 }
                await group.triggerGracefulShutdown()
                try await eventually("the lane is told to stop") { lane.isStopRequested }
                sink.release()
                try await tasks.waitForAll()
            }
            #expect(sink.batches == [[events[0].seq, events[1].seq]])
            await #expect(try fixture.deliveredCount(of: 6) == 2)
            await #expect(try fixture.pending().map(\.event.seq) == events[2...].map(\.seq))
            await #expect(try fixture.pending().allSatisfy { $0.attempts == 0 })
            #expect(lane.status.state == .finished)
        }
    }

    @Test func aNotifiedSignalWakesAnIdleLane() async throws {
        try await DeliveryFixture.with { fixture in
            let sink = FakeSink()
            let lane = fixture.lane(sink: sink, idlePoll: .seconds(3_600))
            try await fixture.running([lane]) {
                try await eventually("the lane is idle") { fixture.clock.sleeperCount > 0 }
                try await fixture.seed(2)
                fixture.signal.notify()
                try await eventually("delivered without the clock moving") {
                    try await fixture.deliveredCount(of: 2) == 2
                }
            }
        }
    }

    @Test func cancellationEndsAnIdleLane() async throws {
        try await DeliveryFixture.with { fixture in
            let lane = fixture.lane(sink: FakeSink())
            let run = Task { try await lane.run() }
            try await eventually("the lane is idle") { fixture.clock.sleeperCount > 0 }
            run.cancel()
            try await run.value
            #expect(lane.status.state == .finished)
        }
    }
}
