import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// A lane records each outcome as it completes and marks progress per attempt; when the store refuses the
/// record it holds the outcomes, sends nothing new and retries, so nothing is lost or sent twice.
@Suite struct LaneRecordingTests {
    @Test(arguments: [LaneDispatch.concurrent(2), .ordered])
    func eachOutcomeIsRecordedAndCountsAsProgressAsItCompletes(dispatch: LaneDispatch) async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(6)
            let sink = SteppedSink()
            let telemetry = DaemonTelemetry(clock: fixture.clock)
            let lane = fixture.lane(sink: sink, dispatch: dispatch, telemetry: telemetry)
            try await fixture.running([lane]) {
                for answered in 1...events.count {
                    fixture.clock.advance(by: 15)  // each receiver takes a whole timeout to answer
                    sink.answer(1)
                    // Recorded while the rest of the batch of 6 is still in the sink's hands.
                    try await eventually("outcome \(answered) recorded") {
                        try await fixture.deliveredCount(of: events.count) == answered
                    }
                    if answered < events.count {  // after the last one the lane is idle, waiting
                        #expect(telemetry.snapshot.loops[lane.loopName] == .working(lastProgress: fixture.clock.now()))
                    }
                    #expect(telemetry.snapshot.stalledLoops(at: fixture.clock.now(), limit: .seconds(20)).isEmpty)
                }
            }
            #expect(Set(sink.sent) == Set(events.map(\.seq)))
            #expect(sink.sent.count == events.count)
        }
    }

    @Test(arguments: [LaneDispatch.concurrent(4), .ordered, .batches])
    func aStoreThatRefusesTheRecordHoldsTheOutcomesAndSendsNothingNewUntilItRecovers(
        dispatch: LaneDispatch
    ) async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(12)
            let sink = FakeSink()
            let (logger, lines) = CapturingLogHandler.logger()
            let lane = fixture.lane(sink: sink, batchSize: 4, dispatch: dispatch, logger: logger)
            try await fixture.fillDisk()
            try await fixture.running([lane]) {
                try await eventually("the lane reports the refused record") {
                    lane.status.lastError?.contains("cannot record delivery outcomes") == true
                }
                let sentDuringOutage = sink.entries.count
                // The in-hand batch at most: nothing new is read or sent while outcomes are held.
                #expect(sentDuringOutage <= 4)
                for _ in 0..<5 {
                    try await eventually("the lane waits to retry") { fixture.clock.sleeperCount > 0 }
                    fixture.clock.advance(by: 5)
                }
                #expect(sink.entries.count == sentDuringOutage)
                #expect(try await fixture.deliveredCount(of: events.count) == 0)

                try await fixture.freeSpace()
                try await eventually("the lane waits to retry") { fixture.clock.sleeperCount > 0 }
                fixture.clock.advance(by: 5)
                try await eventually("all delivered") { try await fixture.deliveredCount(of: events.count) == 12 }
            }
            // Every event sent exactly once: the held outcomes were recorded, not re-sent.
            #expect(sink.entries.map(\.event.seq).sorted() == events.map(\.seq))
            #expect(lines.all.filter { $0.contains("Cannot record delivery outcomes") }.count == 1)
            #expect(lines.all.filter { $0.contains("accepts delivery outcomes again") }.count == 1)
        }
    }
}

extension LaneRecordingTests {
    @Test func aLaneStoppedWhileTheStoreRefusesGivesTheOutcomesUpAndLeavesTheRowsPending() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(3)
            let (logger, lines) = CapturingLogHandler.logger()
            let lane = fixture.lane(sink: FakeSink(), dispatch: .concurrent(2), logger: logger)
            try await fixture.fillDisk()
            try await fixture.running([lane]) {
                try await eventually("the lane holds outcomes") {
                    lane.status.lastError?.contains("cannot record delivery outcomes") == true
                }
            }
            // The lane returned (shutdown is bounded) and the rows are still pending: sent again after a restart.
            #expect(lane.status.state == .finished)
            try await fixture.freeSpace()
            #expect(try await fixture.pending().map(\.event.seq) == events.map(\.seq))
            #expect(
                lines.all.filter { $0.contains("Stopping with delivery outcomes the store did not take") }.count == 1)
        }
    }
}

/// An `EventSink` that delivers one entry per call and answers only as many calls as ``answer(_:)`` allows.
private final class SteppedSink: EventSink {
    private let permits = Mutex(0)
    private let gate = OutboxSignal()
    private let log = Mutex<[Int64]>([])

    func deliver(_ entries: [OutboxEntry], attemptAt: Int) async -> [DeliveryOutcome] {
        while true {
            let token = gate.generation
            let granted = permits.withLock { permits in
                guard permits > 0 else { return false }
                permits -= 1
                return true
            }
            if granted { break }
            await gate.wait(since: token)
        }
        log.withLock { $0 += entries.map(\.event.seq) }
        return entries.map { _ in .delivered }
    }

    /// Lets `count` more calls answer.
    func answer(_ count: Int) {
        permits.withLock { $0 += count }
        gate.notify()
    }

    /// The seqs answered so far, in order.
    var sent: [Int64] { log.withLock { $0 } }
}
