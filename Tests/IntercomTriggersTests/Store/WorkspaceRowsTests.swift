import Foundation
import GRDB
import Testing

@testable import IntercomTriggers

/// Two workspaces in one store (#15): the same contact id at the same version in both is two contacts, and
/// neither workspace sees the other's watermarks, seen versions, roles, snapshots, resume points, resets or pruning.
@Suite struct WorkspaceRowsTests {
    static let created = "contact.user.created"
    static let updated = "contact.user.updated"

    /// Runs `body` with a store holding workspaces `a` and `b` (registered after `default`).
    static func withTwo(
        _ engine: StoreEngine = .sqlite, _ body: (StateStore, StoreWorkspace, StoreWorkspace) async throws -> Void
    ) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let a = try await store.registerWorkspace(name: "a")
            let b = try await store.registerWorkspace(name: "b")
            try await body(store, a, b)
        }
    }

    /// Workspace `workspace`'s backfill page of contact c1: created at 100, its update at 150 superseded (held by
    /// the snapshot), watermarks at 150, and an unfinished pass. Event ids carry the workspace, like real ones.
    static func backfill(_ store: StateStore, _ workspace: StoreWorkspace) async throws -> [StoredEvent] {
        var page = StoreFixture.snapshotPage([
            NewEvent(
                id: "\(workspace.id)/\(created)/c1/100", topic: created, itemID: "c1", version: 100,
                item: Data(#"{"type":"contact","id":"c1","updated_at":150,"name":"Ann"}"#.utf8))
        ])
        page.workspace = workspace
        page.seenOnly = [SeenVersion(topic: updated, itemID: "c1", version: 150)]
        page.watermarks = [created: 150, updated: 150]
        page.resume = .record(
            ResumePoint(resource: .contacts, field: .updatedAt, passStart: 200, bound: 0, newest: 150, reached: 100))
        return try await store.commitPage(page, routes: ["console": nil])
    }

    static func seen(_ store: StateStore, _ workspace: StoreWorkspace, _ topic: String, _ version: Int)
        async throws -> Bool
    {
        let candidate = SeenVersion(topic: topic, itemID: "c1", version: version)
        return try await store.sightings(of: [candidate], roles: ["c1": version], in: workspace).seen
            .contains(candidate)
    }

    @Test(arguments: StoreEngine.allCases) func registeringIsIdempotentAndNamesAreUnique(engine: StoreEngine)
        async throws
    {
        try await StoreFixture.withStore(engine) { store throws in
            #expect(try await store.registerWorkspace(name: StateStore.defaultWorkspaceName) == .first)
            let a = try await store.registerWorkspace(name: "a")
            #expect(a != .first)
            #expect(try await store.registerWorkspace(name: "a") == a)
            #expect(try await store.workspace(named: "a") == a)
            #expect(try await store.workspace(named: "nope") == nil)
            #expect(try await store.workspaces().map(\.name) == ["default", "a"])
            await #expect(throws: StoreError.self) {
                try await store.execute("INSERT INTO workspace (name) VALUES ('a')")
            }
            try await store.setAppID("app_a", of: a)
            #expect(try await store.appID(of: a) == "app_a")
            #expect(try await store.appID(of: .first) == nil)
        }
    }

    @Test(arguments: StoreEngine.allCases) func theSameContactAndVersionAreTwoInTwoWorkspaces(engine: StoreEngine)
        async throws
    {
        try await Self.withTwo(engine) { store, a, b throws in
            #expect(try await Self.backfill(store, a).count == 1)
            #expect(try await !Self.seen(store, b, Self.created, 100))
            #expect(try await store.sightings(of: [], roles: ["c1": 100], in: b).stored == [:])
            #expect(try await store.topicStates(in: b) == [])
            #expect(try await store.resumePoint(.contacts, in: b) == nil)
            #expect(try await store.snapshotCount(in: b) == 0)
            // The same page in b fires again, under its own ids, and each keeps its own rows.
            #expect(try await Self.backfill(store, b).count == 1)
            for workspace in [a, b] {
                #expect(try await Self.seen(store, workspace, Self.created, 100))
                #expect(try await Self.seen(store, workspace, Self.updated, 150))
                #expect(try await store.sightings(of: [], roles: ["c1": 100], in: workspace).stored == ["c1": "user"])
                #expect(try await store.topicStates(in: workspace).map(\.watermark) == [150, 150])
                #expect(try await store.resumePoint(.contacts, in: workspace)?.reached == 100)
                #expect(try await store.snapshotCount(in: workspace) == 1)
                #expect(try await store.seenVersionCount(topic: Self.updated, in: workspace) == 1)
                #expect(
                    try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 9, workspace: workspace)
                        .map(\.id) == ["\(workspace.id)/\(Self.created)/c1/100"])
            }
            #expect(try await store.topicStates(in: .first) == [])
            #expect(try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 9).count == 2)
        }
    }

    @Test(arguments: StoreEngine.allCases) func anUpdateComparesWithItsOwnWorkspacesSnapshot(engine: StoreEngine)
        async throws
    {
        try await Self.withTwo(engine) { store, a, b throws in
            _ = try await Self.backfill(store, a)
            var page = StoreFixture.snapshotPage([
                StoreFixture.candidate(Self.updated, "c1", 200, body: #"{"type":"contact","id":"c1","name":"Bo"}"#)
            ])
            page.workspace = b
            // b has no snapshot of c1: no changes, and a's snapshot stays where it was.
            #expect(try await store.commitPage(page, routes: [:]).map(\.changes) == [nil])
            page.workspace = a
            page.events[0].id += "/a"
            let next = try await store.commitPage(page, routes: [:])
            #expect(try UpdateChangesTests.changes(next[0])?["name"] == ["previous": "Ann", "current": "Bo"])
        }
    }

    @Test(arguments: StoreEngine.allCases, [false, true])
    func theMarkSettlesIntoItsOwnWorkspace(engine: StoreEngine, dropAll: Bool) async throws {
        try await Self.withTwo(engine) { store, a, b throws in
            _ = try await Self.backfill(store, a)
            _ = try await Self.backfill(store, b)
            let gone =
                dropAll ? try await store.dropSnapshots(in: a) : try await store.forgetSnapshots(of: ["c1"], in: a)
            #expect(gone == 1)
            let rows = try await store.inspectIntegers(
                "SELECT workspace FROM seen_version WHERE topic = '\(Self.updated)'")
            #expect(rows == [Int(a.id)])
            #expect(try await store.snapshotCount(in: b) == 1)
            #expect(try await Self.seen(store, a, Self.updated, 150))
            #expect(try await Self.seen(store, b, Self.updated, 150))
        }
    }

    @Test(arguments: StoreEngine.allCases) func aResetOfOneWorkspaceLeavesTheOther(engine: StoreEngine) async throws {
        try await Self.withTwo(engine) { store, a, b throws in
            _ = try await Self.backfill(store, a)
            _ = try await Self.backfill(store, b)
            #expect(try await store.requestReset(topic: Self.created, to: 50, in: a) == [Self.created])
            #expect(try await store.topicStates(in: b).compactMap(\.resetRequestedTo) == [])
            #expect(try await store.applyPendingResets(in: b) == [])
            #expect(try await store.applyPendingResets(in: a) == [Self.created])
            #expect(try await !Self.seen(store, a, Self.created, 100))
            #expect(try await store.resumePoint(.contacts, in: a) == nil)
            #expect(try await store.topicStates(in: a).map(\.watermark) == [50, 150])
            #expect(try await Self.seen(store, b, Self.created, 100))
            #expect(try await store.resumePoint(.contacts, in: b) != nil)
            #expect(try await store.topicStates(in: b).map(\.watermark) == [150, 150])
        }
    }

    @Test(arguments: StoreEngine.allCases) func aResetOfEveryWorkspaceReachesBoth(engine: StoreEngine) async throws {
        try await Self.withTwo(engine) { store, a, b throws in
            _ = try await Self.backfill(store, a)
            _ = try await Self.backfill(store, b)
            // A named topic is created where a workspace does not know it yet.
            #expect(try await store.requestReset(topic: "company.created", to: 10) == ["company.created"])
            #expect(
                try await store.requestReset(topic: nil, to: 120) == ["company.created", Self.created, Self.updated])
            #expect(try await store.applyPendingResets(in: nil) == ["company.created", Self.created, Self.updated])
            for workspace in [a, b] {
                #expect(try await store.topicStates(in: workspace).map(\.watermark) == [120, 120, 120])
                #expect(try await Self.seen(store, workspace, Self.created, 100))
                #expect(try await !Self.seen(store, workspace, Self.updated, 150))
                #expect(try await store.resumePoint(.contacts, in: workspace) == nil)
            }
            #expect(try await store.topicStates(in: .first).map(\.topic) == ["company.created"])
        }
    }

    @Test(arguments: StoreEngine.allCases) func pruningOneWorkspaceLeavesTheOther(engine: StoreEngine) async throws {
        try await Self.withTwo(engine) { store, a, b throws in
            _ = try await Self.backfill(store, a)
            _ = try await Self.backfill(store, b)
            #expect(try await store.pruneSeenVersions(olderThan: [Self.created: 120], in: a) == 1)
            #expect(try await store.topicStates(in: a).first?.prunedBelow == 120)
            #expect(try await store.topicStates(in: b).first?.prunedBelow == nil)
            #expect(try await store.seenVersionCount(topic: Self.created, in: a) == 0)
            #expect(try await store.seenVersionCount(topic: Self.created, in: b) == 1)
        }
    }

    @Test(arguments: StoreEngine.allCases) func adminReadsFilterByWorkspace(engine: StoreEngine) async throws {
        try await Self.withTwo(engine) { store, a, b throws in
            let events = try await Self.backfill(store, a) + Self.backfill(store, b)
            for event in events {
                try await store.markFailed(
                    destination: "console", seq: event.seq, attempt: 1, status: 500, error: "down", nextAttemptAt: nil)
            }
            #expect(try await store.deadLetters(destination: nil).count == 2)
            #expect(try await store.deadLetters(destination: nil, workspace: b).map(\.eventID) == [events[1].id])
            #expect(try await store.deadLetterCounts(workspace: a) == ["console": 1])
            #expect(try await store.destinationSummaries(workspace: a).map(\.dead) == [1])
            #expect(try await store.destinationSummaries(workspace: .first) == [])
            #expect(
                try await store.replay(destination: "console", eventID: nil, since: nil, allFailed: true, workspace: a)
                    == 1)
            #expect(try await store.queueDepth(workspace: a) == ["console": 1])
            #expect(try await store.queueDepth(workspace: b) == [:])
            #expect(
                try await store.replay(
                    destination: "console", eventID: events[1].id, since: nil, allFailed: false, workspace: a) == 0)
            #expect(try await store.purgeDeadLetters(destination: nil, workspace: b) == 1)
            #expect(try await store.deadLetterCounts() == [:])
        }
    }
}
