import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct StateStoreOutboxTests {
    let topic = "contact.lead.created"

    /// Commits `count` events of one topic to `routes`; returns them in seq order.
    func seed(
        _ store: StateStore, count: Int, routes: OutboxRoutes = ["crm": nil], detectedAt: Int = 1_000,
        firstItem: Int = 0
    ) async throws -> [StoredEvent] {
        let events = (firstItem..<firstItem + count).map { StoreFixture.candidate(topic, "c\($0)", 100 + $0) }
        return try await store.commitPage(StoreFixture.page(events, routes: routes, detectedAt: detectedAt))
    }

    @Test(arguments: StoreEngine.allCases) func dueRowsComeInSeqOrderWhenDue(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 5)
            // Due at once, whatever the detecting clock said (Intercom's, maybe ahead of the host's).
            #expect(try await store.dueOutbox(destination: "crm", now: 999, limit: 10).count == 5)
            let due = try await store.dueOutbox(destination: "crm", now: 1_000, limit: 3)
            #expect(due.map(\.event.seq) == events.prefix(3).map(\.seq))
            #expect(due.allSatisfy { $0.destination == "crm" && $0.attempts == 0 && $0.nextAttemptAt == 0 })
            #expect(due.first?.event.item == events.first?.item)

            // The second row waits until 1 060; the others stay due, in order.
            try await store.markFailed(
                destination: "crm", seq: events[1].seq, attempt: 1, status: 503, error: "unavailable",
                nextAttemptAt: 1_060, at: 1_001)
            #expect(
                try await store.dueOutbox(destination: "crm", now: 1_059, limit: 10).map(\.event.seq)
                    == [events[0], events[2], events[3], events[4]].map(\.seq))
            let retried = try await store.dueOutbox(destination: "crm", now: 1_060, limit: 10)
            #expect(retried.map(\.event.seq) == events.map(\.seq))
            let failed = try #require(retried.first { $0.event.seq == events[1].seq })
            #expect(failed.attempts == 1)
            #expect(failed.lastStatus == 503)
            #expect(failed.lastError == "unavailable")
            #expect(failed.firstSentAt == 1_001)
            #expect(failed.lastAttemptAt == 1_001)
            #expect(try await store.nextAttemptAt(destination: "crm") == 0)
            #expect(try await store.nextAttemptAt(destination: "nobody") == nil)
        }
    }

    /// One write of the lane's ledger holds many outcomes, a failed attempt and the delivery after it included.
    @Test(arguments: StoreEngine.allCases) func aBatchOfOutcomesIsRecordedInAttemptOrder(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 4)
            try await store.recordAttempts(
                destination: "crm",
                [
                    OutboxAttempt(
                        seq: events[0].seq,
                        result: .failed(attempt: 1, status: 500, error: "boom", nextAttemptAt: 1_001, at: 1_000)),
                    OutboxAttempt(seq: events[0].seq, result: .delivered(at: 1_002)),
                    OutboxAttempt(seq: events[1].seq, result: .delivered(at: 1_003)),
                    OutboxAttempt(
                        seq: events[2].seq,
                        result: .failed(attempt: 1, status: 503, error: "later", nextAttemptAt: 1_100, at: 1_004)),
                ])
            let pending = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 10)
            #expect(pending.map(\.event.seq) == [events[2].seq, events[3].seq])
            #expect(pending.first?.attempts == 1)
            #expect(pending.first?.lastError == "later")
            #expect(
                try await store.inspectIntegers(
                    "SELECT attempts FROM outbox WHERE state = 'delivered' ORDER BY event_seq") == [2, 1])
            #expect(
                try await store.inspectIntegers(
                    "SELECT delivered_at FROM outbox WHERE state = 'delivered' ORDER BY event_seq") == [1_002, 1_003])
        }
    }

    @Test(arguments: StoreEngine.allCases) func lanesAreIndependent(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 2, routes: ["crm": nil, "console": nil])
            try await store.markDelivered(destination: "console", seqs: events.map(\.seq), at: 1_001)
            #expect(try await store.dueOutbox(destination: "console", now: 2_000, limit: 10).isEmpty)
            #expect(try await store.dueOutbox(destination: "crm", now: 2_000, limit: 10).count == 2)
            #expect(try await store.queueDepth() == ["crm": 2])
        }
    }

    @Test(arguments: StoreEngine.allCases) func failingWithoutANextAttemptMakesADeadLetter(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 2)
            for attempt in 1...3 {
                try await store.markFailed(
                    destination: "crm", seq: events[0].seq, attempt: attempt, status: 500, error: "e\(attempt)",
                    nextAttemptAt: attempt < 3 ? 1_000 + attempt : nil, at: 1_000 + attempt)
            }
            #expect(
                try await store.dueOutbox(destination: "crm", now: 9_999, limit: 10).map(\.event.seq) == [events[1].seq]
            )
            #expect(try await store.queueDepth() == ["crm": 1])
            #expect(try await store.deadLetterCounts() == ["crm": 1])
            let dead = try #require(try await store.deadLetters(destination: "crm").first)
            #expect(dead.eventID == events[0].id)
            #expect(dead.attempts == 3)
            #expect(dead.lastError == "e3")
            #expect(dead.lastStatus == 500)
            #expect(dead.firstSentAt == 1_001)
            #expect(dead.lastAttemptAt == 1_003)
            #expect(try await store.deadLetters(destination: "other").isEmpty)
            #expect(try await store.deadLetters(destination: nil).count == 1)

            // A dead row no longer takes outcomes: only pending rows are in flight.
            try await store.markDelivered(destination: "crm", seqs: [events[0].seq], at: 2_000)
            #expect(try await store.deadLetterCounts() == ["crm": 1])
        }
    }

    /// How the dead letters are set up for the replay table: events 0…3 dead, 0–1 detected at 1 000, 2–3 at 2 000;
    /// event 4 delivered; crm only.
    func seedDeadLetters(_ store: StateStore) async throws -> [StoredEvent] {
        let early = try await seed(store, count: 2, detectedAt: 1_000)
        let late = try await seed(store, count: 3, detectedAt: 2_000, firstItem: 2)
        let events = early + late
        for event in events.prefix(4) {
            try await store.markFailed(
                destination: "crm", seq: event.seq, attempt: 8, status: nil, error: "timeout", nextAttemptAt: nil)
        }
        try await store.markDelivered(destination: "crm", seqs: [events[4].seq], at: 2_001)
        return events
    }

    enum ReplayRequest: String, CaseIterable, Sendable {
        case oneDeadEvent, oneDeliveredEvent, unknownEvent, since, allFailed, nothing, otherDestination
    }

    @Test(arguments: StoreEngine.allCases, ReplayRequest.allCases)
    func replay(engine: StoreEngine, _ request: ReplayRequest) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seedDeadLetters(store)
            let replayed: Int
            let expectedDue: [StoredEvent]
            switch request {
            case .oneDeadEvent:
                replayed = try await store.replay(
                    destination: "crm", eventID: events[1].id, since: nil, allFailed: false)
                expectedDue = [events[1]]
            case .oneDeliveredEvent:
                replayed = try await store.replay(
                    destination: "crm", eventID: events[4].id, since: nil, allFailed: false)
                expectedDue = [events[4]]
            case .unknownEvent:
                replayed = try await store.replay(destination: "crm", eventID: "nope", since: nil, allFailed: false)
                expectedDue = []
            case .since:
                replayed = try await store.replay(destination: "crm", eventID: nil, since: 2_000, allFailed: false)
                expectedDue = [events[2], events[3]]
            case .allFailed:
                replayed = try await store.replay(destination: "crm", eventID: nil, since: nil, allFailed: true)
                expectedDue = Array(events.prefix(4))
            case .nothing:
                replayed = try await store.replay(destination: "crm", eventID: nil, since: nil, allFailed: false)
                expectedDue = []
            case .otherDestination:
                replayed = try await store.replay(destination: "console", eventID: nil, since: nil, allFailed: true)
                expectedDue = []
            }
            #expect(replayed == expectedDue.count)
            let due = try await store.dueOutbox(destination: "crm", now: 0, limit: 10)
            #expect(due.map(\.event.seq) == expectedDue.map(\.seq))
            #expect(due.allSatisfy { $0.attempts == 0 && $0.lastError == nil && $0.firstSentAt == nil })
            let stillDead = events.prefix(4).filter { !expectedDue.contains($0) }.map(\.id)
            #expect(try await store.deadLetters(destination: "crm").map(\.eventID) == stillDead)
        }
    }

    @Test(arguments: StoreEngine.allCases) func replayOfAnEventToADestinationThatNeverHadItQueuesIt(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 1, routes: ["crm": nil])
            #expect(
                try await store.replay(destination: "audit", eventID: events[0].id, since: nil, allFailed: false) == 1)
            #expect(
                try await store.replay(destination: "audit", eventID: events[0].id, since: nil, allFailed: false) == 1)
            #expect(try await store.queueDepth() == ["crm": 1, "audit": 1])
        }
    }

    @Test(arguments: StoreEngine.allCases) func pruneDeliveredKeepsPendingAndDeadRows(engine: StoreEngine) async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 4)
            try await store.markDelivered(destination: "crm", seqs: [events[0].seq], at: 1_100)
            try await store.markDelivered(destination: "crm", seqs: [events[1].seq], at: 1_300)
            try await store.markFailed(
                destination: "crm", seq: events[2].seq, attempt: 1, status: nil, error: "x", nextAttemptAt: nil)
            #expect(try await store.pruneDelivered(before: 1_200) == 1)
            #expect(try await store.pruneDelivered(before: 1_200) == 0)
            #expect(try await store.queueDepth() == ["crm": 1])
            #expect(try await store.deadLetterCounts() == ["crm": 1])
            #expect(try await store.pruneDelivered(before: 1_301) == 1)

            // Now only event 0 and 1 are unreferenced; events detected before 1 001 may go.
            #expect(try await store.pruneEvents(before: 1_001) == 2)
            let left = try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 10).map(\.seq)
            #expect(left == [events[2].seq, events[3].seq])
            // Seqs are never reused after pruning.
            let later = try await seed(store, count: 1, firstItem: 10)
            #expect(later[0].seq > events[3].seq)
            #expect(try await store.lastEventSeq() == later[0].seq)
        }
    }

    @Test(arguments: StoreEngine.allCases) func summariesShowCountsLagAndLastDelivery(engine: StoreEngine) async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            #expect(try await store.destinationSummaries().isEmpty)
            let early = try await seed(store, count: 2, routes: ["crm": nil, "console": nil], detectedAt: 1_000)
            let late = try await seed(store, count: 2, routes: ["crm": nil], detectedAt: 2_000, firstItem: 2)
            try await store.markDelivered(destination: "crm", seqs: [early[0].seq], at: 2_100)
            try await store.markFailed(
                destination: "crm", seq: early[1].seq, attempt: 8, status: 500, error: "x", nextAttemptAt: nil)
            try await store.markDelivered(destination: "console", seqs: early.map(\.seq), at: 1_500)
            #expect(
                try await store.destinationSummaries() == [
                    DestinationSummary(
                        name: "console", pending: 0, dead: 0, oldestPendingDetectedAt: nil, lastDeliveredAt: 1_500),
                    DestinationSummary(
                        name: "crm", pending: late.count, dead: 1, oldestPendingDetectedAt: 2_000,
                        lastDeliveredAt: 2_100),
                ])
        }
    }

    @Test(arguments: StoreEngine.allCases) func purgingDeadLettersLeavesOtherRows(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let events = try await seed(store, count: 3, routes: ["crm": nil, "console": nil])
            for destination in ["crm", "console"] {
                try await store.markFailed(
                    destination: destination, seq: events[0].seq, attempt: 8, status: nil, error: "x",
                    nextAttemptAt: nil)
            }
            #expect(try await store.purgeDeadLetters(destination: "crm") == 1)
            #expect(try await store.deadLetterCounts() == ["console": 1])
            #expect(try await store.purgeDeadLetters(destination: nil) == 1)
            #expect(try await store.deadLetterCounts().isEmpty)
            #expect(try await store.queueDepth() == ["crm": 2, "console": 2])
        }
    }

    @Test(arguments: StoreEngine.allCases) func destinationsCanBeDisabledAndEnabled(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            #expect(try await store.destinationStates().isEmpty)
            try await store.setDestinationDisabled("crm", reason: "HTTP 410 Gone", at: 1_500)
            let state = try #require(try await store.destinationStates().first)
            #expect(state == DestinationState(name: "crm", disabledAt: 1_500, disabledReason: "HTTP 410 Gone"))
            #expect(state.isDisabled)
            try await store.enableDestination("crm")
            #expect(try await store.destinationStates().isEmpty)
        }
    }
}
