import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// `reset`, `tail`, `dead-letters` and `replay` with `--workspace` (#15): one workspace's rows change, the others'
/// stay as they were.
@Suite struct WorkspaceAdminTests {
    static let now = WorkspaceStatusTests.now
    static let users = WorkspaceStoreSeed.users
    static let hook = WorkspaceStoreSeed.hook

    /// The seeded store, its events by workspace name, and the workspaces by name.
    static func withSeeded(
        _ body: (StateStore, [String: [StoredEvent]], [String: StoreWorkspace]) async throws -> Void
    ) async throws {
        try await StoreFixture.withStore { store throws in
            let events = try await WorkspaceStoreSeed.seed(store, now: now)
            let rows = Dictionary(uniqueKeysWithValues: try await store.workspaces().map { ($0.name, $0.workspace) })
            try await body(store, events, rows)
        }
    }

    /// Each workspace's topics and their pending resets, by workspace name.
    static func resets(_ store: StateStore) async throws -> [String: [String: Int?]] {
        var resets: [String: [String: Int?]] = [:]
        for row in try await store.workspaces() {
            resets[row.name] = Dictionary(
                uniqueKeysWithValues: try await store.topicStates(in: row.workspace).map {
                    ($0.topic, $0.resetRequestedTo)
                })
        }
        return resets
    }

    @Test func aResetOfOneWorkspaceLeavesTheOthers() async throws {
        try await Self.withSeeded { store, _, rows throws in
            let before = try await Self.resets(store)
            #expect(try await store.requestReset(topic: nil, to: 5, inEach: [rows["globex"]!]) == [Self.users])
            var expected = before
            expected["globex"] = [Self.users: 5]
            #expect(try await Self.resets(store) == expected)
        }
    }

    @Test func aResetOfSeveralCreatesANamedTopicInThoseOnly() async throws {
        try await Self.withSeeded { store, _, rows throws in
            let topic = "company.created"
            #expect(
                try await store.requestReset(topic: topic, to: 7, inEach: [rows["acme"]!, rows["globex"]!]) == [topic])
            let resets = try await Self.resets(store)
            #expect(resets["acme"]?[topic] == 7 && resets["globex"]?[topic] == 7)
            #expect(resets["old"]?[topic] == nil)
            #expect(resets["default"] == [:])
            // Every topic of every listed workspace, each topic named once.
            #expect(
                try await store.requestReset(topic: nil, to: 8, inEach: [rows["acme"]!, rows["old"]!])
                    == [WorkspaceStoreSeed.leads, topic, Self.users].sorted())
            // Not listed: untouched.
            #expect(try await Self.resets(store)["globex"]?[Self.users] == .some(nil))
        }
    }

    @Test func replayingOneWorkspaceLeavesTheOthersDeadLetters() async throws {
        try await Self.withSeeded { store, events, rows throws in
            let globex = rows["globex"]!
            #expect(
                try await DeliveryAdmin.replay(
                    store: store, destination: Self.hook, selection: .allFailed, workspace: globex)
                    == 2)
            #expect(try await store.deadLetters(destination: nil).map(\.eventID) == [events["acme"]![1].id])
            #expect(try await store.queueDepth(workspace: globex) == [Self.hook: 2])
            // Another workspace's event by id: nothing.
            #expect(
                try await DeliveryAdmin.replay(
                    store: store, destination: Self.hook, selection: .event(events["acme"]![1].id), workspace: globex)
                    == 0)
            #expect(
                try await DeliveryAdmin.replay(
                    store: store, destination: Self.hook, selection: .since(0), workspace: rows["acme"]!) == 1)
            #expect(try await store.deadLetters(destination: nil).isEmpty)
        }
    }

    @Test func retryingWaitingDeliveriesOfOneWorkspaceLeavesTheOthersWaiting() async throws {
        try await Self.withSeeded { store, events, rows throws in
            let later = Self.now + 3_600
            let acme = events["acme"]![0]
            let globex = events["globex"]![0]
            _ = try await DeliveryAdmin.replay(store: store, destination: Self.hook, selection: .event(globex.id))
            for event in [acme, globex] {
                try await store.markFailed(
                    destination: Self.hook, seq: event.seq, attempt: 1, status: 503, error: "busy", nextAttemptAt: later
                )
            }
            #expect(
                try await DeliveryAdmin.replay(
                    store: store, destination: Self.hook, selection: .waiting(now: Self.now), workspace: rows["acme"]!)
                    == 1)
            #expect(try await !store.isWaiting(destination: Self.hook, seqs: [acme.seq], until: later))
            #expect(try await store.isWaiting(destination: Self.hook, seqs: [globex.seq], until: later))
        }
    }

    @Test func deadLettersOfOneWorkspace() async throws {
        try await Self.withSeeded { store, events, rows throws in
            #expect(
                try await store.deadLetters(destination: nil, workspace: rows["globex"]!).map(\.eventID)
                    == events["globex"]!.map(\.id))
            #expect(try await store.deadLetters(destination: nil, workspace: rows["old"]!).isEmpty)
            #expect(try await store.deadLetters(destination: nil).count == 3)
        }
    }

    @Test func tailOfOneWorkspacePrintsItsEventsWithItsAppID() async throws {
        try await Self.withSeeded { store, _, rows throws in
            func appIDs(_ tail: EventTail) async throws -> [String?] {
                try await tail.next().map {
                    try (JSONSerialization.jsonObject(with: $0) as? [String: Any])?["app_id"] as? String
                }
            }
            let globex = EventTail(store: store, topic: nil, since: nil, appID: "", workspace: rows["globex"]!)
            #expect(try await appIDs(globex) == ["app_globex", "app_globex"])
            let all = EventTail(store: store, topic: nil, since: nil, appID: "")
            #expect(try await appIDs(all) == ["app_acme", "app_acme", "app_globex", "app_globex"])
            // New events of another workspace do not show in the filtered tail.
            var page = PageCommit(
                events: [
                    NewEvent(id: "app_acme/e3", topic: Self.users, itemID: "c3", version: 5, item: Data("{}".utf8))
                ], watermarks: [:], detectedAt: Self.now)
            page.workspace = rows["acme"]!
            page.workspaceID = "app_acme"
            try await store.commitPage(page, routes: [:])
            #expect(try await globex.next().isEmpty)
            #expect(try await appIDs(all) == ["app_acme"])
        }
    }
}
