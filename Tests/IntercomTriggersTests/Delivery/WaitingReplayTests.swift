import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// A receiver's `Retry-After` (up to an hour) pauses its lane and survives restarts in the rows' next attempt
/// times; `status` shows how long, and `replay --waiting` makes them due now, ending the pause at once.
@Suite struct WaitingReplayTests {
    @Test func replayWaitingEndsAnHourLongRetryAfterAtOnce() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(2)
            let start = fixture.clock.seconds
            let sink = FakeSink { entry in
                entry.attempts == 0 && entry.event.seq == events[0].seq
                    ? .throttled(status: 429, error: "slow down", retryAfter: .seconds(3_600)) : .delivered
            }
            let lane = fixture.lane(sink: sink, batchSize: 1, dispatch: .ordered, idlePoll: .seconds(1))
            try await fixture.running([lane]) {
                try await eventually("throttled") { lane.status.state == .throttled(until: start + 3_600) }
                let status = try await StatusReport.collect(
                    store: fixture.store, topics: [], destinations: ["console"], now: start)
                #expect(status.destinations.first?.retryingUntil == start + 3_600)
                #expect(status.text().contains("retries wait up to 60m more"))
                #expect(status.text().contains("replay --destination console --waiting"))

                let queued = try await DeliveryAdmin.replay(
                    store: fixture.store, destination: "console", selection: .waiting(now: start))
                #expect(queued == 1)
                try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                fixture.clock.advance(by: 1)  // its next look at the store, not an hour later
                try await eventually("both delivered") { try await fixture.deliveredCount(of: 2) == 2 }
            }
            #expect(sink.batches == [[events[0].seq], [events[0].seq], [events[1].seq]])
            #expect(sink.entries[1].attempts == 1)  // the attempt made is kept
        }
    }
}
