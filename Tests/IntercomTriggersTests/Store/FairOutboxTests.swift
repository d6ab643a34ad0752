import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import IntercomTriggers

/// A lane's due rows are shared fairly among the workspaces whose events it delivers (#15): round-robin, each
/// workspace's rows in event order, so one workspace's backfill does not hold back another's new events; and a turn
/// reads by index, never a whole backlog.
@Suite struct FairOutboxTests {
    static let topic = "contact.lead.created"

    /// Commits `count` events of `workspace` routed to `destinations`, detected at `time` (ids carry the workspace,
    /// like real ones); returns them in seq order.
    @discardableResult
    static func seed(
        _ store: StateStore, _ workspace: StoreWorkspace, _ count: Int, to destinations: [String] = ["crm"],
        at time: Int = 1_000
    ) async throws -> [StoredEvent] {
        let events = (0..<count).map {
            NewEvent(
                id: "\(workspace.id)/c\($0)", topic: topic, itemID: "c\($0)", version: 100,
                item: Data(#"{"type":"contact","id":"c\#($0)"}"#.utf8))
        }
        var page = PageCommit(events: events, watermarks: [:], detectedAt: time)
        page.workspace = workspace
        let routes = Dictionary(uniqueKeysWithValues: destinations.map { ($0, OutboxRoute(topics: nil)) })
        return try await store.commitPage(page, routes: routes)
    }

    /// Runs `body` with a store holding workspaces `a`, `b` and `c` (registered after `default`).
    static func withThree(
        _ engine: StoreEngine = .sqlite,
        _ body: (StateStore, StoreWorkspace, StoreWorkspace, StoreWorkspace) async throws -> Void
    ) async throws {
        try await StoreFixture.withStore(engine) { store throws in
            let a = try await store.registerWorkspace(name: "a")
            let b = try await store.registerWorkspace(name: "b")
            let c = try await store.registerWorkspace(name: "c")
            try await body(store, a, b, c)
        }
    }

    @Test(arguments: StoreEngine.allCases) func aBackfillDoesNotHoldBackAnotherWorkspacesNewEvent(engine: StoreEngine)
        async throws
    {
        try await Self.withThree(engine) { store, a, b, _ in
            let backfill = try await Self.seed(store, a, 10_000)
            let new = try await Self.seed(store, b, 1, at: 1_001)
            let due = try await store.dueOutbox(destination: "crm", now: 1_001, limit: 100)
            #expect(due.count == 100)
            #expect(due[1].event.seq == new[0].seq)
            #expect(due[1].workspace == b)
            #expect(due.filter { $0.workspace == a }.map(\.event.seq) == backfill.prefix(99).map(\.seq))
            #expect(try await store.queueDepth() == ["crm": 10_001])
            // Each workspace's rows only: a workspace's backlog is not another's.
            #expect(try await store.queueDepth(workspace: b) == ["crm": 1])
        }
    }

    @Test(arguments: StoreEngine.allCases) func threeWorkspacesShareATurnRoundRobin(engine: StoreEngine) async throws {
        try await Self.withThree(engine) { store, a, b, c in
            let rowsA = try await Self.seed(store, a, 10).map(\.seq)
            let rowsB = try await Self.seed(store, b, 10).map(\.seq)
            let rowsC = try await Self.seed(store, c, 2).map(\.seq)
            // ⌈9/3⌉ = 3 each; c has 2, its unused row goes to the others (a, first in the round).
            let due = try await store.dueOutbox(destination: "crm", now: 1_000, limit: 9)
            #expect(
                due.map(\.event.seq) == [
                    rowsA[0], rowsB[0], rowsC[0], rowsA[1], rowsB[1], rowsC[1], rowsA[2], rowsB[2], rowsA[3],
                ])
            // The round starts after the workspace the last turn ended with, wrapping round.
            let rotated = try await store.dueOutbox(destination: "crm", now: 1_000, limit: 3, after: b)
            #expect(rotated.map(\.workspace) == [c, a, b])
            #expect(rotated.map(\.event.seq) == [rowsC[0], rowsA[0], rowsB[0]])
            // With more workspaces than rows, the turn takes one row from each of the first ones in the round.
            #expect(
                try await store.dueOutbox(destination: "crm", now: 1_000, limit: 2, after: a).map(\.workspace) == [
                    b, c,
                ])
        }
    }

    @Test(arguments: StoreEngine.allCases) func aWorkspaceWithNothingDueLeavesItsShareToTheOthers(engine: StoreEngine)
        async throws
    {
        try await Self.withThree(engine) { store, a, b, _ in
            let rowsA = try await Self.seed(store, a, 3).map(\.seq)
            let rowsB = try await Self.seed(store, b, 5).map(\.seq)
            // a's head waits for a retry; the rows behind it are due, as before (the lane's dispatch decides order).
            try await store.markFailed(
                destination: "crm", seq: rowsA[0], attempt: 1, status: 500, error: "e", nextAttemptAt: 2_000, at: 1_000)
            for seq in rowsA.dropFirst() {
                try await store.markFailed(
                    destination: "crm", seq: seq, attempt: 1, status: 500, error: "e", nextAttemptAt: 3_000, at: 1_000)
            }
            #expect(
                try await store.dueOutbox(destination: "crm", now: 1_500, limit: 4).map(\.event.seq)
                    == Array(rowsB.prefix(4)))
            // Pending rows, due or not (an ordered lane's heads), each workspace's in event order.
            #expect(
                try await store.dueOutbox(destination: "crm", now: Int.max, limit: 4).map(\.event.seq)
                    == [rowsA[0], rowsB[0], rowsA[1], rowsB[1]])
            #expect(try await store.nextAttemptAt(destination: "crm") == 0)  // b's, queued due at once
        }
    }

    @Test(arguments: StoreEngine.allCases) func commitsAndReplaysWriteTheEventsWorkspace(engine: StoreEngine)
        async throws
    {
        try await Self.withThree(engine) { store, a, b, _ in
            let rowsA = try await Self.seed(store, a, 1, to: ["crm", "console"])
            let rowsB = try await Self.seed(store, b, 2, to: ["crm"])
            // Re-detected after a reset forgot it: its rows go back to pending, still its workspace's.
            try await store.markDelivered(destination: "crm", seqs: rowsB.map(\.seq), at: 1_001)
            try await store.execute("DELETE FROM seen_version")
            try await Self.seed(store, b, 2, to: ["crm"], at: 1_100)
            #expect(
                try await store.dueOutbox(destination: "crm", now: 2_000, limit: 10).map(\.workspace) == [a, b, b])
            // An event replayed to a destination it never went to is queued as its workspace's.
            #expect(
                try await store.replay(destination: "hook", eventID: rowsB[1].id, since: nil, allFailed: false) == 1)
            let replayed = try await store.dueOutbox(destination: "hook", now: 2_000, limit: 10)
            #expect(replayed.map(\.workspace) == [b])
            #expect(replayed.map(\.event.seq) == [rowsB[1].seq])
            #expect(
                try await store.dueOutbox(destination: "console", now: 2_000, limit: 10).map(\.event.seq)
                    == rowsA.map(\.seq))
        }
    }

    /// The plans of a turn's two reads: one seek per workspace, then each workspace's rows in index order.
    @Test func aTurnReadsByIndexNeverTheWholeBacklog() async throws {
        try await StoreFixture.withStore { store throws in
            let plans = try await store.read("plans") { db in
                let reads: [(String, StatementArguments)] = [
                    (SQLiteStore.pendingWorkspacesSQL, ["crm"]), (SQLiteStore.workspaceDueSQL, ["crm", 1, 0, 0, 100]),
                ]
                return try reads.map { sql, arguments in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                        .map { $0["detail"] as String }
                }
            }
            let workspaces = plans[0].joined(separator: "\n")
            #expect(workspaces.contains("SEARCH outbox USING INDEX outbox_pending (destination=? AND workspace>?)"))
            #expect(!workspaces.contains("SCAN outbox"))
            #expect(!workspaces.contains("TEMP B-TREE"))
            let due = plans[1].joined(separator: "\n")
            #expect(
                due.contains("SEARCH outbox USING INDEX outbox_pending (destination=? AND workspace=? AND event_seq>?)")
            )
            #expect(!due.contains("SCAN"))
            #expect(!due.contains("TEMP B-TREE"))
        }
    }

    /// One turn over a 10,000-row backlog reads the rows it returns: as fast as over a backlog of 100, within a wide
    /// margin (a whole-backlog scan costs ~100× the rows).
    @Test func aTurnCostsTheSameWhateverTheBacklog() async throws {
        try await Self.withThree { store, a, b, _ in
            try await Self.seed(store, b, 100)
            let small = try await Self.turnSteps(store)
            try await Self.seed(store, a, 10_000)
            let large = try await Self.turnSteps(store)
            #expect(large < small * 3, "\(large) VM steps against \(small)")
        }
    }

    /// The SQLite VM steps of one turn's reads (limit 100).
    static func turnSteps(_ store: StateStore) async throws -> Int {
        try await store.read("steps") { db in
            let workspaces = try db.makeStatement(sql: SQLiteStore.pendingWorkspacesSQL)
            let ids = try Int64.fetchAll(workspaces, arguments: ["crm"])
            var steps = Int(sqlite3_stmt_status(workspaces.sqliteStatement, SQLITE_STMTSTATUS_VM_STEP, 0))
            let due = try db.makeStatement(sql: SQLiteStore.workspaceDueSQL)
            _ = try FairShare(workspaces: ids, limit: 100).take { workspace, afterSeq, count in
                let rows = try Row.fetchAll(due, arguments: ["crm", workspace, afterSeq, 1_000, count])
                    .map(OutboxEntry.init(row:))
                steps += Int(sqlite3_stmt_status(due.sqliteStatement, SQLITE_STMTSTATUS_VM_STEP, 1))
                return rows
            }
            return steps
        }
    }
}
