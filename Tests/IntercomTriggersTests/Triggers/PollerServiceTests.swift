import Foundation
import GRDB
import IntercomSimulator
import IntercomTriggersTesting
import Logging
import Testing

@testable import IntercomTriggers

@Suite struct PollerServiceTests {
    static let t0 = PassCorrectnessTests.base + 43_200

    func poller(_ h: TriggerHarness, workspace: String = "ws") -> PollerService {
        PollerService(
            store: h.store, source: IntercomObservationSource(client: h.client),
            settings: .init(
                topics: h.topics, interval: .seconds(2), lookback: h.lookback, routes: [TriggerHarness.destination: nil]
            ),
            clock: InstantWallClock(simulator: h.server.clock), logger: Logger(label: "test"),
            workspace: { workspace })
    }

    @Test func aCycleRecordsEachTopicsPoll() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            h.advance(by: 10)
            try h.workspace.createContact(role: "lead", email: "l@example.com")
            h.advance(by: 10)
            try await poller(h).cycle(workspaceID: "ws")
            let states = try await h.store.topicStates()
            #expect(states.count == TopicCatalog.all.count)
            for state in states {
                #expect(state.lastPollAt == Self.t0 + 20)
                #expect(state.lastResult?.hasPrefix("ok: 1 requests") == true)
                #expect(state.lastError == nil)
            }
        }
    }

    /// The loop keeps each resource's pass from cycle to cycle: one made for a workspace id is not used for another.
    @Test func eachCyclesEventsCarryTheWorkspaceIDItWasGiven() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let service = poller(h)
            for (step, id) in ["ws", "ws", "other"].enumerated() {
                h.advance(by: 10)
                let contact = try h.workspace.createContact(role: "lead", email: "l\(step)@example.com")
                h.advance(by: 10)
                try await service.cycle(workspaceID: id)
                let events = try await h.store.events(
                    afterSeq: 0, topic: "contact.lead.created", since: nil, limit: 100)
                let event = try #require(events.first { $0.itemID == contact.id })
                #expect(event.workspaceID == id)
                #expect(
                    event.id
                        == EventID.make(
                            workspace: id, topic: "contact.lead.created", itemID: contact.id, version: event.version))
            }
        }
    }

    @Test func anAdminResetTakesEffectAtTheNextCycleUnderTheSameEventIDs() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            h.advance(by: 10)
            try h.workspace.createContact(role: "lead", email: "l@example.com")
            try h.workspace.createContact(role: "user", email: "u@example.com")
            h.advance(by: 10)
            let service = poller(h)
            try await service.cycle(workspaceID: "ws")
            let first = try await h.store.events(afterSeq: 0, topic: nil, since: nil, limit: 100).map(\.id)
            await #expect(try h.drain() == 2)
            // Another process (the reset command) asks; the daemon applies it when it next polls.
            let admin = try StateStore(path: h.fixture.path, role: .admin)
            try await admin.requestReset(topic: nil, to: Self.t0)
            try admin.close()
            await #expect(try h.drain() == 0)
            h.advance(by: 30)
            try await service.cycle(workspaceID: "ws")
            let again = try await h.store.dueOutbox(destination: TriggerHarness.destination, now: Int.max, limit: 100)
            #expect(again.map(\.event.id).sorted() == first.sorted())
        }
    }

    @Test func updatedVersionsBehindTheHorizonArePrunedCreatedOnesKept() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            h.advance(by: 10)
            let user = try h.workspace.createContact(role: "user", email: "u@example.com")
            let service = poller(h)
            for step in 1...3 {
                h.advance(by: 20)
                try h.workspace.touchContact(id: user.id, customAttributes: ["step": "\(step)"])
                h.advance(by: 5)
                try await service.cycle(workspaceID: "ws")
            }
            #expect(try await h.store.seenVersionCount(topic: "contact.user.updated") == 3)
            h.advance(by: h.lookback + 100)
            try await service.cycle(workspaceID: "ws")
            #expect(try await h.store.seenVersionCount(topic: "contact.user.updated") == 0)
            #expect(try await h.store.seenVersionCount(topic: "contact.user.created") == 1)
            // Nothing fires again after pruning: the creation (which absorbed the first touch) and two updates.
            h.advance(by: 60)
            try await service.cycle(workspaceID: "ws")
            await #expect(try h.fired().count == 3)
        }
    }

    /// The loop's waits (its first delay and each interval) end on a shared grid, so many workspaces' loops wake
    /// together; other sleeps (the client's backoffs) stay exact.
    @Test func theLoopsWaitsCoalesceOnAGridOfATwentiethOfTheInterval() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let clock = InstantWallClock(simulator: h.server.clock)
            let service = PollerService(
                store: h.store, source: IntercomObservationSource(client: h.client),
                settings: .init(
                    topics: h.topics, interval: .seconds(10), lookback: h.lookback,
                    routes: [TriggerHarness.destination: nil]),
                clock: clock, logger: Logger(label: "test"), workspace: { "ws" }, firstDelay: .seconds(3))
            let loop = Task { try await service.loop() }
            try await eventually("three waits") { clock.coalescingGrids.count >= 3 }
            loop.cancel()
            _ = try? await loop.value
            #expect(clock.coalescingGrids.allSatisfy { $0 == .milliseconds(500) })
            #expect(Array(clock.sleeps.prefix(3)) == [.seconds(3), .seconds(10), .seconds(10)])
        }
    }

    /// Cycles start an interval apart: a cycle that took 6 s (two pages of 3 s) is followed by a 4 s wait at 10 s.
    @Test func aLongCycleShortensTheWaitAfterIt() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let clock = InstantWallClock(simulator: h.server.clock)
            let simulated = h.server.clock
            let slow = HookedSource(
                inner: IntercomObservationSource(client: h.client), afterPage: { _ in simulated.advance(by: 3) })
            let service = PollerService(
                store: h.store, source: slow,
                settings: .init(
                    topics: h.topics, interval: .seconds(10), lookback: h.lookback,
                    routes: [TriggerHarness.destination: nil]),
                clock: clock, logger: Logger(label: "test"), workspace: { "ws" })
            let loop = Task { try await service.loop() }
            try await eventually("two waits") { clock.sleeps.count >= 2 }
            loop.cancel()
            _ = try? await loop.value
            #expect(Array(clock.sleeps.prefix(2)) == [.seconds(4), .seconds(4)])
        }
    }

    @Test func aStoreOfAnotherWorkspaceIsRefused() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            try await h.store.setAppID("other")
            await #expect(throws: WorkspaceMismatch.self) {
                _ = try await poller(h, workspace: "ws").resolveWorkspace()
            }
            try await h.store.setAppID("ws")
            #expect(try await poller(h, workspace: "ws").resolveWorkspace() == "ws")
        }
    }

    @Test(arguments: [(0, 2), (1, 2), (2, 4), (3, 8), (8, 256), (9, 300), (30, 300)])
    func failuresBackOffUpToFiveMinutes(failures: Int, seconds: Int) async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            #expect(poller(h).delay(afterFailures: failures) == .seconds(seconds))
        }
    }

    /// `PRAGMA data_version` of another connection moves whenever any other connection commits.
    static func commits(_ path: String) throws -> () throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return { try queue.read { try Int.fetchOne($0, sql: "PRAGMA data_version") ?? 0 } }
    }

    @Test func anIdlePollWritesNothingAndIsRecordedAtMostEveryMinute() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            try h.addUserWithConversation()
            let service = poller(h)
            try await service.cycle(workspaceID: "ws")  // the events
            h.advance(by: 10)
            try await service.cycle(workspaceID: "ws")  // the first idle poll after them: recorded
            let recordedAt = Self.t0 + 30
            #expect(try await h.store.topicStates().allSatisfy { $0.lastPollAt == recordedAt })
            let version = try Self.commits(h.fixture.path)
            let before = try version()
            for _ in 0..<5 {
                h.advance(by: 10)
                let reports = try await service.cycle(workspaceID: "ws")
                #expect(reports.count == 2)
                #expect(reports.allSatisfy { $0.events == 0 && $0.pages == 1 && $0.uncommittedPages == 1 })
            }
            #expect(try version() == before, "an idle cycle committed something")
            #expect(try await h.store.topicStates().allSatisfy { $0.lastPollAt == recordedAt })
            // A minute after the last record, the next idle poll is recorded (status shows it at most that old).
            h.advance(by: 10)
            try await service.cycle(workspaceID: "ws")
            #expect(try await h.store.topicStates().allSatisfy { $0.lastPollAt == recordedAt + 60 })
            // Something new is recorded at once, with its pass start.
            h.advance(by: 5)
            try h.workspace.createContact(role: "lead", email: "l@example.com")
            h.advance(by: 5)
            try await service.cycle(workspaceID: "ws")
            let states = try await h.store.topicStates().filter { $0.topic.hasPrefix("contact.") }
            #expect(states.allSatisfy { $0.lastPollAt == recordedAt + 70 && $0.lastPassStart == recordedAt + 70 })
        }
    }

    @Test func aQuietPassStillRecordsItsStartOnceHalfTheLookbackWentBy() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let service = poller(h)
            h.advance(by: 10)
            try await service.cycle(workspaceID: "ws")
            let first = try #require(try await h.store.topicStates().first?.lastPassStart)
            h.advance(by: h.lookback / 2 - 1)
            try await service.cycle(workspaceID: "ws")
            #expect(try await h.store.topicStates().first?.lastPassStart == first)
            h.advance(by: 2)
            try await service.cycle(workspaceID: "ws")
            #expect(try await h.store.topicStates().allSatisfy { $0.lastPassStart == first + h.lookback / 2 + 1 })
        }
    }
}
