import Foundation
import IntercomTriggersTesting
import Logging
import Synchronization
import Testing

@testable import IntercomTriggers

/// The scheduler's look every 2 s reads one number unless another process wrote to the store: then it reads the
/// resets waiting and wakes the lanes (a `replay` or `enable` from an admin). The daemon's own writes wake nothing.
@Suite struct OutsideWritesTests {
    @Test func aLookReadsMoreOnlyAfterAnotherProcessWrote() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.open()
        defer { try? store.close() }
        try await store.ensureTopics(["contact.user.created": 0])
        let woken = Atomic(0)
        let watch = ResetWatch()
        let scheduler = PollScheduler(
            workspaces: [], gate: PollGate(limit: 1), idleRecords: IdlePollRecords(), resetWatch: watch, store: store,
            clock: InstantWallClock(), telemetry: DaemonTelemetry(), logger: Logger(label: "test"),
            onOutsideWrite: { woken.add(1, ordering: .relaxed) })

        // The first look always reads (a reset may have been waiting since before the start).
        await scheduler.lookForOutsideWrites()
        #expect(woken.load(ordering: .relaxed) == 1)

        // This process's own writes: one cheap look, nothing else read, nobody woken.
        try await store.recordPoll(topics: ["contact.user.created"], at: 100, result: "ok", error: nil)
        let before = store.accesses
        await scheduler.lookForOutsideWrites()
        #expect(woken.load(ordering: .relaxed) == 1)
        #expect(store.accesses.reads - before.reads == 0)
        #expect(store.accesses.writes - before.writes == 1)

        // An admin's reset from another connection: the resets are read and noted, and the lanes are woken.
        let admin = try fixture.open(.admin)
        try await admin.requestReset(topic: nil, to: 50)
        try admin.close()
        await scheduler.lookForOutsideWrites()
        #expect(woken.load(ordering: .relaxed) == 2)
        #expect(watch.take(.first))

        await scheduler.lookForOutsideWrites()
        #expect(woken.load(ordering: .relaxed) == 2)
    }

    /// Nothing committed since the last look (the files' stamp has not moved): the answer comes without a look at
    /// the store — except every `outsideLookRefresh`-th time, which looks anyway.
    @Test func anUntouchedStoreIsNotLookedAtButForTheRefresh() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.open()
        defer { try? store.close() }
        try await store.ensureTopics(["contact.user.created": 0])
        let first = try await store.outsideWriteVersion()
        var looks: [Int] = []
        for _ in 0..<(2 * SQLiteStore.outsideLookRefresh) {
            let before = store.accesses.writes
            #expect(try await store.outsideWriteVersion() == first)
            looks.append(store.accesses.writes - before)
        }
        // One look per refresh period, at its end.
        let expected = (1...(2 * SQLiteStore.outsideLookRefresh)).map {
            $0 % SQLiteStore.outsideLookRefresh == 0 ? 1 : 0
        }
        #expect(looks == expected)

        // A commit moves the stamp: the next call looks (and, the commit being this process's own, finds the
        // same number), and the one after answers from the new stamp.
        try await store.recordPoll(topics: ["contact.user.created"], at: 100, result: "ok", error: nil)
        var before = store.accesses.writes
        #expect(try await store.outsideWriteVersion() == first)
        #expect(store.accesses.writes - before == 1)
        before = store.accesses.writes
        #expect(try await store.outsideWriteVersion() == first)
        #expect(store.accesses.writes - before == 0)

        // Another process's commit is seen at once.
        let admin = try fixture.open(.admin)
        try await admin.requestReset(topic: nil, to: 50)
        try admin.close()
        #expect(try await store.outsideWriteVersion() != first)
    }
}
