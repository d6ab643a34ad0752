import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct RetentionServiceTests {
    @Test func prunesDeliveredRowsAfterRetentionAndKeepsDeadLettersAndPending() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(3, to: ["hook"])
            try await fixture.store.markDelivered(destination: "hook", seqs: [events[0].seq], at: fixture.clock.seconds)
            try await fixture.store.markFailed(
                destination: "hook", seq: events[1].seq, attempt: 8, status: 500, error: "HTTP 500", nextAttemptAt: nil,
                at: fixture.clock.seconds)
            let service = RetentionService(
                store: fixture.store, retention: .seconds(86_400), clock: fixture.clock, logger: DeliveryFixture.quiet)
            await #expect(try service.prune() == (0, 0))
            fixture.clock.advance(by: 86_401)
            await #expect(try service.prune() == (1, 1))
            #expect(try await fixture.store.deadLetters(destination: "hook").map(\.eventID) == [events[1].id])
            await #expect(try fixture.pending("hook").map(\.event.id) == [events[2].id])
            // A replay of the pruned event is no longer possible, of the dead letter still is.
            await #expect(
                try DeliveryAdmin.replay(store: fixture.store, destination: "hook", selection: .event(events[0].id))
                    == 0)
            await #expect(
                try DeliveryAdmin.replay(store: fixture.store, destination: "hook", selection: .allFailed) == 1)
        }
    }

    @Test func runsEveryIntervalUntilShutdown() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(2, to: ["hook"])
            let service = RetentionService(
                store: fixture.store, retention: .seconds(60), interval: .seconds(3_600), clock: fixture.clock,
                logger: DeliveryFixture.quiet)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await eventually("the service sleeps") { fixture.clock.sleeperCount > 0 }
                try await fixture.store.markDelivered(
                    destination: "hook", seqs: events.map(\.seq), at: fixture.clock.seconds)
                fixture.clock.advance(by: 3_600)
                try await eventually("pruned on the next period") {
                    try await fixture.store.destinationSummaries().isEmpty
                }
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }
}
