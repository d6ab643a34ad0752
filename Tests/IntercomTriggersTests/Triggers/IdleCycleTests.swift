import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Logging
import Testing

@testable import IntercomTriggers

/// A poll loop run by the daemon (with the scheduler's reset watch and idle records) keeps what its passes read
/// while they commit nothing, so an idle cycle neither reads nor writes the store; resets still take effect, at the
/// first cycle after the watch saw them, under the same event ids.
@Suite struct IdleCycleTests {
    static let t0 = PassCorrectnessTests.base + 43_200

    func poller(_ h: TriggerHarness, watch: ResetWatch, records: IdlePollRecords) -> PollerService {
        PollerService(
            store: h.store, source: IntercomObservationSource(client: h.client),
            settings: .init(
                topics: h.topics, interval: .seconds(2), lookback: h.lookback, routes: [TriggerHarness.destination: nil]
            ),
            clock: InstantWallClock(simulator: h.server.clock), logger: Logger(label: "test"),
            workspace: { "ws" }, idleRecords: records, resetWatch: watch)
    }

    /// The store's reads and writes during `body`.
    func accesses(_ h: TriggerHarness, _ body: () async throws -> Void) async throws -> (reads: Int, writes: Int) {
        let before = h.store.accesses
        try await body()
        let after = h.store.accesses
        return (after.reads - before.reads, after.writes - before.writes)
    }

    /// What a pass over `resource` reads of a state, in a form to compare: its own topics (the other resource's
    /// loop moves the others) without `status`' fields, which others write.
    static func passFields(_ state: PassState, of resource: Resource) -> [String] {
        let own = Set(TopicCatalog.all.filter { $0.resource == resource }.map(\.name))
        return state.topics.filter { own.contains($0.topic) }.sorted { $0.topic < $1.topic }.map {
            "\($0.topic) w=\($0.watermark) s=\($0.startAt) p=\(String(describing: $0.prunedBelow)) "
                + "l=\(String(describing: $0.lastPassStart))"
        } + [String(describing: state.resume)]
    }

    /// Every state the loop keeps is what the store holds, as far as a pass reads it.
    func expectKeptStateIsStored(_ h: TriggerHarness, _ service: PollerService) async throws {
        for resource in Resource.allCases {
            guard let kept = service.keptPassState(resource) else { continue }
            let stored = try await h.store.passState(resource)
            #expect(Self.passFields(kept, of: resource) == Self.passFields(stored, of: resource), "\(resource)")
        }
    }

    @Test func theKeptStateIsTheStoresThroughCommitsPruningAndResets() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            h.lookback = 120
            let watch = ResetWatch()
            let service = poller(h, watch: watch, records: IdlePollRecords())
            var kept = 0
            for step in 0..<40 {
                h.advance(by: 15)
                if step % 3 == 0 { try h.workspace.createContact(role: "user", email: "u\(step)@example.com") }
                if step % 7 == 0 {
                    let contact = try h.workspace.createContact(role: "lead", email: "l\(step)@example.com")
                    try h.workspace.createConversation(contactID: contact.id, body: "Hi \(step)")
                }
                if step == 25 {
                    try await h.store.requestReset(topic: nil, to: Self.t0)
                    watch.note([.first])
                }
                try await service.cycle(workspaceID: "ws")
                try await expectKeptStateIsStored(h, service)
                kept += Resource.allCases.filter { service.keptPassState($0) != nil }.count
            }
            #expect(kept > 40, "the loop kept its state most of the time")
            #expect(try await h.store.topicStates().contains { $0.prunedBelow != nil }, "pruning happened")
        }
    }

    @Test func anIdleCycleNeitherReadsNorWritesTheStore() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            try h.addUserWithConversation()
            let records = IdlePollRecords()
            let service = poller(h, watch: ResetWatch(), records: records)
            let busy = try await accesses(h) { try await service.cycle(workspaceID: "ws") }
            #expect(busy.reads > 0 && busy.writes > 0)
            // Past the lookback a pass re-reads the items (their sightings: a quiet re-read of the lookback still
            // reads those) and records its start; its committed last page hands back the state it left, so the
            // idle cycles after it read nothing, and write nothing.
            h.advance(by: h.lookback + 100)
            let recording = try await accesses(h) { try await service.cycle(workspaceID: "ws") }
            #expect(recording.writes > 0)
            for _ in 0..<4 {
                h.advance(by: 10)
                let idle = try await accesses(h) { try await service.cycle(workspaceID: "ws") }
                #expect(idle.reads == 0 && idle.writes == 0)
            }
            #expect(records.count == 2, "the idle polls are noted for the scheduler's batch")
            // Something new is read and fired as usual.
            try h.workspace.createContact(role: "lead", email: "l@example.com")
            h.advance(by: 5)
            try await service.cycle(workspaceID: "ws")
            #expect(try await h.fired().filter { $0.hasPrefix("contact.lead.created") }.count == 1)
        }
    }

    @Test func aResetWaitsForTheWatchThenRedetectsUnderTheSameIDs() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            h.advance(by: 10)
            try h.workspace.createContact(role: "lead", email: "l@example.com")
            try h.workspace.createContact(role: "user", email: "u@example.com")
            h.advance(by: 10)
            let watch = ResetWatch()
            let service = poller(h, watch: watch, records: IdlePollRecords())
            try await service.cycle(workspaceID: "ws")
            h.advance(by: 10)
            try await service.cycle(workspaceID: "ws")  // idle: its pass state is kept from here on
            let first = try await h.store.events(afterSeq: 0, topic: nil, since: nil, limit: 100).map(\.id)
            await #expect(try h.drain() == 2)

            let admin = try StateStore(path: h.fixture.path, role: .admin)
            try await admin.requestReset(topic: nil, to: Self.t0)
            try admin.close()
            // Not seen yet: the loop goes on from what it kept.
            h.advance(by: 10)
            try await service.cycle(workspaceID: "ws")
            await #expect(try h.drain() == 0)
            #expect(try await h.store.topicStates().allSatisfy { $0.resetRequestedTo == Self.t0 })

            // The scheduler's look finds it (for this workspace only); the next cycle applies it.
            watch.note(try await h.store.workspacesWithPendingResets())
            #expect(watch.take(StoreWorkspace(id: 2)) == false)
            h.advance(by: 10)
            try await service.cycle(workspaceID: "ws")
            let again = try await h.store.dueOutbox(destination: TriggerHarness.destination, now: Int.max, limit: 100)
            #expect(again.map(\.event.id).sorted() == first.sorted())
            #expect(try await h.store.workspacesWithPendingResets().isEmpty)
        }
    }

    @Test func aLoopAppliesTheResetsWaitingWhenItStarts() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            h.advance(by: 10)
            try h.workspace.createContact(role: "user", email: "u@example.com")
            h.advance(by: 10)
            try await poller(h, watch: ResetWatch(), records: IdlePollRecords()).cycle(workspaceID: "ws")
            let first = try await h.store.events(afterSeq: 0, topic: nil, since: nil, limit: 100).map(\.id)
            await #expect(try h.drain() == 1)
            // Asked while no daemon ran: a new loop (a restart) applies it at once, with a watch that saw nothing.
            try await h.store.requestReset(topic: nil, to: Self.t0)
            h.advance(by: 10)
            try await poller(h, watch: ResetWatch(), records: IdlePollRecords()).cycle(workspaceID: "ws")
            let again = try await h.store.dueOutbox(destination: TriggerHarness.destination, now: Int.max, limit: 100)
            #expect(again.map(\.event.id) == first)
        }
    }
}
