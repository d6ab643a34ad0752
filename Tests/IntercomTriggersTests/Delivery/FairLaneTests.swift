import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// A lane that delivers several workspaces' events serves them fairly (#15): one workspace's backfill does not hold
/// back another's new events, turns go round the workspaces, and an ordered lane keeps order within each workspace
/// only.
@Suite struct FairLaneTests {
    static let dispatches: [LaneDispatch] = [.batches, .concurrent(4), .ordered]

    @Test(arguments: dispatches)
    func aBackfillDoesNotHoldBackAnotherWorkspacesNewEvent(_ dispatch: LaneDispatch) async throws {
        try await DeliveryFixture.with { fixture in
            let a = try await fixture.store.registerWorkspace(name: "a")
            let b = try await fixture.store.registerWorkspace(name: "b")
            let now = fixture.clock.seconds
            try await FairOutboxTests.seed(fixture.store, a, 10_000, to: ["console"], at: now)
            let new = try await FairOutboxTests.seed(fixture.store, b, 1, to: ["console"], at: now)[0]
            let sink = FakeSink()
            try await fixture.running([fixture.lane(sink: sink, batchSize: 100, dispatch: dispatch)]) {
                try await eventually("b's event delivered") { sink.entries.contains { $0.event.seq == new.seq } }
            }
            // In the lane's first turn: round-robin puts it second.
            let position = try #require(sink.entries.firstIndex { $0.event.seq == new.seq })
            #expect(position < 100)
            if dispatch != .concurrent(4) {
                #expect(position == 1)
            }
        }
    }

    @Test func turnsGoRoundTheWorkspaces() async throws {
        try await DeliveryFixture.with { fixture in
            var rows: [[Int64]] = []
            for name in ["a", "b", "c"] {
                let workspace = try await fixture.store.registerWorkspace(name: name)
                rows.append(
                    try await FairOutboxTests.seed(
                        fixture.store, workspace, 2, to: ["console"], at: fixture.clock.seconds
                    )
                    .map(\.seq))
            }
            let sink = FakeSink()
            try await fixture.running([fixture.lane(sink: sink, batchSize: 2)]) {
                try await eventually("all delivered") { try await fixture.deliveredCount(of: 6) == 6 }
            }
            // Fewer rows a turn than workspaces: each turn starts after the workspace the last one ended with.
            #expect(sink.batches == [[rows[0][0], rows[1][0]], [rows[2][0], rows[0][1]], [rows[1][1], rows[2][1]]])
        }
    }

    @Test func anOrderedLaneKeepsOrderWithinEachWorkspaceOnly() async throws {
        try await DeliveryFixture.with { fixture in
            let a = try await fixture.store.registerWorkspace(name: "a")
            let b = try await fixture.store.registerWorkspace(name: "b")
            let now = fixture.clock.seconds
            let rowsA = try await FairOutboxTests.seed(fixture.store, a, 3, to: ["console"], at: now).map(\.seq)
            let rowsB = try await FairOutboxTests.seed(fixture.store, b, 2, to: ["console"], at: now).map(\.seq)
            // a's head fails its first attempt: a's later rows wait behind it, b's go on.
            let head = rowsA[0]
            let sink = FakeSink { entry in
                entry.event.seq == head && entry.attempts == 0
                    ? .failed(status: 500, error: "boom", retryAfter: nil) : .delivered
            }
            let lane = fixture.lane(
                sink: sink, retrySchedule: FixedRetrySchedule(delay: .seconds(5)), dispatch: .ordered)
            try await fixture.running([lane]) {
                try await eventually("b delivered") { try await fixture.pending().map(\.event.seq) == rowsA }
                try await eventually("the lane waits for a's head") { fixture.clock.sleeperCount > 0 }
                #expect(sink.entries.map(\.event.seq) == [head] + rowsB)
                fixture.clock.advance(by: 5)
                try await eventually("a delivered") { try await fixture.deliveredCount(of: 5) == 5 }
            }
            #expect(sink.entries.map(\.event.seq) == [head] + rowsB + rowsA)
        }
    }
}
