import Foundation
import Testing

@testable import IntercomTriggers

/// An event is due for its destinations as soon as it is queued, whatever clock detected it: a page's
/// `detectedAt` is Intercom's clock, which may be ahead of the host's that lanes compare with.
@Suite struct QueuedEventDueTests {
    @Test(arguments: StoreEngine.allCases, [0, 900, 86_400, Int(Int32.max)])
    func aNewEventIsDueAtOnceEvenWhenIntercomsClockIsAhead(engine: StoreEngine, skew: Int) async throws {
        try await StoreFixture.withStore(engine) { store in
            let hostNow = 1_000
            _ = try await store.commitPage(
                StoreFixture.page(
                    [StoreFixture.candidate("contact.user.created", "c1", 1)], detectedAt: hostNow.addingSaturated(skew)
                ))
            let due = try await store.dueOutbox(destination: "console", now: hostNow, limit: 10)
            #expect(due.map(\.event.itemID) == ["c1"])
            #expect(try await store.nextAttemptAt(destination: "console") ?? .max <= hostNow)
        }
    }
}
