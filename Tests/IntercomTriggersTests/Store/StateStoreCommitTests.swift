import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct StateStoreCommitTests {
    let leadCreated = "contact.lead.created"
    let userUpdated = "contact.user.updated"

    @Test(arguments: StoreEngine.allCases) func samePageTwiceQueuesItsEventsOnce(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let events = [
                StoreFixture.candidate(leadCreated, "c1", 100),
                StoreFixture.candidate(leadCreated, "c2", 101),
                StoreFixture.candidate(userUpdated, "c3", 102),
            ]
            let routes: OutboxRoutes = ["crm": [leadCreated], "console": nil]
            let page = StoreFixture.page(events, routes: routes)

            let first = try await store.commitPage(page)
            #expect(first.map(\.id) == events.map(\.id))
            #expect(Set(first.map(\.seq)).count == 3)
            #expect(try await store.commitPage(page).isEmpty)

            #expect(try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 100).count == 3)
            #expect(try await store.queueDepth() == ["crm": 2, "console": 3])
            let crm = try await store.dueOutbox(destination: "crm", now: 1_000, limit: 10)
            #expect(crm.map(\.event.id) == [events[0].id, events[1].id])
        }
    }

    @Test(arguments: StoreEngine.allCases) func duplicateWithinOnePageCountsOnce(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let event = StoreFixture.candidate(leadCreated, "c1", 100)
            #expect(try await store.commitPage(StoreFixture.page([event, event])).count == 1)
            #expect(try await store.queueDepth() == ["console": 1])
        }
    }

    @Test(arguments: StoreEngine.allCases) func newVersionOfTheSameItemIsANewEvent(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.commitPage(StoreFixture.page([StoreFixture.candidate(userUpdated, "u1", 100)]))
            let next = try await store.commitPage(StoreFixture.page([StoreFixture.candidate(userUpdated, "u1", 160)]))
            #expect(next.map(\.version) == [160])
            #expect(try await store.seenVersionCount(topic: userUpdated) == 2)
        }
    }

    @Test(arguments: StoreEngine.allCases) func seenOnlyVersionsNeverFireLater(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let userCreated = "contact.user.created"
            // The user's creation: created fires, the matching updated version is only remembered.
            let page = PageCommit(
                events: [StoreFixture.candidate(userCreated, "u1", 100)],
                seenOnly: [SeenVersion(topic: userUpdated, itemID: "u1", version: 100)],
                watermarks: [:], detectedAt: 1_000)
            #expect(try await store.commitPage(page, routes: ["console": nil]).map(\.topic) == [userCreated])
            #expect(try await store.seenVersionCount(topic: userUpdated) == 1)
            // A later page offering that updated version as an event: already seen, nothing fires.
            let later = try await store.commitPage(StoreFixture.page([StoreFixture.candidate(userUpdated, "u1", 100)]))
            #expect(later.isEmpty)
            #expect(try await store.queueDepth() == ["console": 1])
        }
    }

    @Test(arguments: StoreEngine.allCases) func storedEventKeepsTheRawItemAndDetectionTime(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            let raw = #"{"type":"contact","id":"c1","custom_attributes":{"ünïcode":"✓"},"n":1.50}"#
            let event = StoreFixture.candidate(leadCreated, "c1", 100, body: raw)
            try await store.commitPage(StoreFixture.page([event], detectedAt: 1_234))
            let stored = try #require(try await store.event(id: event.id))
            #expect(stored.item == Data(raw.utf8))
            #expect(stored.detectedAt == 1_234)
            #expect(stored.itemID == "c1")
            #expect(stored.version == 100)
        }
    }

    @Test(arguments: StoreEngine.allCases) func pageWithoutDestinationsStillRecordsEvents(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            let event = StoreFixture.candidate(leadCreated, "c1", 100)
            #expect(try await store.commitPage(StoreFixture.page([event], routes: [:])).count == 1)
            #expect(try await store.queueDepth().isEmpty)
            #expect(try await store.commitPage(StoreFixture.page([event])).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.allCases) func watermarksNeverMoveBackwardsThroughACommit(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.ensureTopics([leadCreated: 100, userUpdated: 100])
            try await store.commitPage(StoreFixture.page([], watermarks: [leadCreated: 500, userUpdated: 300]))
            try await store.commitPage(StoreFixture.page([], watermarks: [leadCreated: 400, userUpdated: 350]))
            let watermarks = Dictionary(
                uniqueKeysWithValues: try await store.topicStates().map { ($0.topic, $0.watermark) })
            #expect(watermarks == [leadCreated: 500, userUpdated: 350])
        }
    }

    @Test(arguments: StoreEngine.allCases) func ensureTopicsNeverMovesExistingTopics(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.ensureTopics([leadCreated: 100])
            try await store.commitPage(StoreFixture.page([], watermarks: [leadCreated: 700]))
            // A restart with a different configured start, plus a new topic.
            try await store.ensureTopics([leadCreated: 50, userUpdated: 900])
            let states = try await store.topicStates()
            #expect(states.map(\.topic) == [leadCreated, userUpdated])
            #expect(states[0].watermark == 700)
            #expect(states[0].startAt == 100)
            #expect(states[1].watermark == 900)
            #expect(states[1].startAt == 900)
        }
    }

    @Test(arguments: StoreEngine.allCases) func resetThenRecommitRequeuesTheSameEventIDs(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.ensureTopics([leadCreated: 0, userUpdated: 0])
            let old = StoreFixture.candidate(leadCreated, "c1", 100)
            let recent = StoreFixture.candidate(leadCreated, "c2", 200)
            let otherTopic = StoreFixture.candidate(userUpdated, "u1", 200)
            let routes: OutboxRoutes = ["crm": nil, "console": nil]
            let first = try await store.commitPage(
                StoreFixture.page([old, recent, otherTopic], watermarks: [leadCreated: 250], routes: routes))
            let recentSeq = try #require(first.first { $0.id == recent.id }?.seq)
            let otherSeq = try #require(first.first { $0.id == otherTopic.id }?.seq)
            // Delivered everywhere; crm's copy of c1 even failed for good.
            try await store.markDelivered(destination: "crm", seqs: [recentSeq, otherSeq], at: 1_010)
            try await store.markDelivered(destination: "console", seqs: first.map(\.seq), at: 1_010)
            try await store.markFailed(
                destination: "crm", seq: first[0].seq, attempt: 1, status: 500, error: "boom", nextAttemptAt: nil)

            try await store.requestReset(topic: leadCreated, to: 150)
            #expect(try await store.topicStates().first?.resetRequestedTo == 150)
            #expect(try await store.applyPendingResets() == [leadCreated])
            #expect(try await store.applyPendingResets().isEmpty)
            let reset = try #require(try await store.topicStates().first)
            #expect(reset.watermark == 150)
            #expect(reset.startAt == 150)
            #expect(reset.resetRequestedTo == nil)

            let again = try await store.commitPage(
                StoreFixture.page([old, recent, otherTopic], routes: routes, detectedAt: 2_000))
            // Only the version at or after the reset point comes back, with its original event.
            #expect(again.map(\.id) == [recent.id])
            #expect(again.first?.seq == recentSeq)
            #expect(again.first?.detectedAt == 1_000)
            #expect(try await store.queueDepth() == ["crm": 1, "console": 1])
            let due = try await store.dueOutbox(destination: "crm", now: 2_000, limit: 10)
            #expect(due.map(\.event.id) == [recent.id])
            #expect(due.first?.attempts == 0)
            #expect(due.first?.firstSentAt == nil)
            #expect(try await store.deadLetters(destination: "crm").map(\.eventID) == [old.id])
            #expect(try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 10).count == 3)
        }
    }

    @Test(arguments: StoreEngine.allCases) func resetOfEveryTopic(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.ensureTopics([leadCreated: 500, userUpdated: 600])
            #expect(try await store.requestReset(topic: nil, to: 0) == [leadCreated, userUpdated])
            #expect(try await store.applyPendingResets() == [leadCreated, userUpdated])
            #expect(try await store.topicStates().map(\.watermark) == [0, 0])
        }
    }

    @Test(arguments: StoreEngine.allCases) func resetOfAnUnknownTopicCreatesIt(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.requestReset(topic: leadCreated, to: 300)
            try await store.ensureTopics([leadCreated: 900])
            #expect(try await store.applyPendingResets() == [leadCreated])
            #expect(try await store.topicStates().map(\.watermark) == [300])
        }
    }

    @Test(arguments: StoreEngine.allCases) func recordPollIsShownInTopicStates(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            try await store.ensureTopics([leadCreated: 0, userUpdated: 0])
            try await store.recordPoll(topics: [leadCreated], at: 1_500, result: "error", error: "HTTP 401")
            let states = try await store.topicStates()
            #expect(states[0].lastPollAt == 1_500)
            #expect(states[0].lastResult == "error")
            #expect(states[0].lastError == "HTTP 401")
            #expect(states[1].lastPollAt == nil)
        }
    }

    @Test(arguments: StoreEngine.allCases) func pruneSeenVersionsForgetsOnlyVersionsBeforeTheHorizon(
        engine: StoreEngine
    ) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let events =
                [100, 200, 300].map { StoreFixture.candidate(userUpdated, "u1", $0) }
                + [StoreFixture.candidate(leadCreated, "c1", 100)]
            try await store.commitPage(StoreFixture.page(events))
            try await store.ensureTopics([userUpdated: 0, leadCreated: 0])
            #expect(try await store.pruneSeenVersions(olderThan: [userUpdated: 250]) == 2)
            #expect(try await store.seenVersionCount(topic: userUpdated) == 1)
            #expect(try await store.seenVersionCount(topic: leadCreated) == 1)
            #expect(try await store.pruneSeenVersions(olderThan: [userUpdated: 200]) == 0)
            // The highest horizon pruned so far is remembered; untouched topics have none.
            #expect(try await store.topicStates().map(\.prunedBelow) == [nil, 250])
            // The kept version is still deduplicated.
            #expect(try await store.commitPage(StoreFixture.page([events[2]])).isEmpty)
            // A reset below it lowers it: versions from the reset point on may fire again.
            try await store.requestReset(topic: userUpdated, to: 120)
            try await store.applyPendingResets()
            #expect(try await store.topicStates().map(\.prunedBelow) == [nil, 120])
        }
    }

    @Test(arguments: StoreEngine.allCases) func commitThroughput(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let pages = 20
            let routes: OutboxRoutes = ["crm": nil, "console": nil]
            let item = String(repeating: "x", count: 2_000)
            let clock = ContinuousClock()
            var queued = 0
            let elapsed = try await clock.measure {
                for page in 0..<pages {
                    let events = (0..<150).map { index in
                        StoreFixture.candidate(
                            userUpdated, "u\(page)-\(index)", page, body: #"{"id":"\#(index)","pad":"\#(item)"}"#)
                    }
                    queued += try await store.commitPage(
                        StoreFixture.page(events, watermarks: [userUpdated: page], routes: routes)
                    ).count
                }
            }
            #expect(queued == pages * 150)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "commitPage: \(pages) pages × 150 events × 2 destinations in \(elapsed); "
                    + "\(Int(Double(pages) / seconds)) pages/s, \(Int(Double(queued) / seconds)) events/s")
        }
    }
}
