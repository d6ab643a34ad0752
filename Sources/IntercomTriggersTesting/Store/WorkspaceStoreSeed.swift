import Foundation
import IntercomTriggers

/// A store holding several workspaces' rows as a daemon serving them leaves it (#15), for the admin commands' tests:
/// - `acme`: app `app_acme`; `contact.user.created` and `contact.lead.created` polled ok 10 s ago, watermarks 30 s
///   and 90 s behind; two events to `hook`, the first queued, the second dead;
/// - `globex`: app `app_globex`; `contact.user.created` failing (`401 unauthorized`) 5 s ago, watermark 600 s behind;
///   two events, both dead at `hook`;
/// - `old`: app `app_old`; one topic polled a day ago, no event (a workspace the configuration no longer names);
/// - `default`: the empty row every store has.
public enum WorkspaceStoreSeed {
    public static let hook = "hook"
    public static let users = "contact.user.created"
    public static let leads = "contact.lead.created"

    /// Seeds `store` as of `now`; returns each workspace's events (in detection order) by name.
    @discardableResult
    public static func seed(_ store: StateStore, now: Int) async throws -> [String: [StoredEvent]] {
        var events: [String: [StoredEvent]] = [:]
        let acme = try await store.registerWorkspace(name: "acme")
        try await store.setAppID("app_acme", of: acme)
        try await store.ensureTopics([users: now - 1_000, leads: now - 1_000], in: acme)
        events["acme"] = try await commit(
            store, acme, app: "app_acme", ["e1", "e2"], watermarks: [users: now - 30, leads: now - 90], now: now)
        try await store.recordPoll(
            topics: [users, leads], at: now - 10, result: "ok: 1 requests, 2 items, 2 events", error: nil, in: acme)
        try await fail(store, events["acme"]![1])

        let globex = try await store.registerWorkspace(name: "globex")
        try await store.setAppID("app_globex", of: globex)
        try await store.ensureTopics([users: now - 1_000], in: globex)
        events["globex"] = try await commit(
            store, globex, app: "app_globex", ["e1", "e2"], watermarks: [users: now - 600], now: now)
        try await store.recordPoll(topics: [users], at: now - 5, result: "error", error: "401 unauthorized", in: globex)
        for event in events["globex"]! { try await fail(store, event) }

        let old = try await store.registerWorkspace(name: "old")
        try await store.setAppID("app_old", of: old)
        try await store.ensureTopics([users: now - 90_000], in: old)
        try await store.recordPoll(topics: [users], at: now - 86_400, result: "ok", error: nil, in: old)
        return events
    }

    /// Commits `ids` (contacts `c1`, `c2`, … of `users`) in `workspace`, routed to ``hook``, detected 20 s ago.
    private static func commit(
        _ store: StateStore, _ workspace: StoreWorkspace, app: String, _ ids: [String], watermarks: [String: Int],
        now: Int
    ) async throws -> [StoredEvent] {
        let events = ids.enumerated().map { index, id in
            NewEvent(
                id: "\(app)/\(id)", topic: users, itemID: "c\(index + 1)", version: now - 100 + index,
                item: Data(#"{"type":"contact","id":"c\#(index + 1)"}"#.utf8))
        }
        var page = PageCommit(events: events, watermarks: watermarks, detectedAt: now - 20)
        page.workspace = workspace
        page.workspaceID = app
        return try await store.commitPage(page, routes: [hook: nil])
    }

    /// Makes `event`'s delivery to ``hook`` a dead letter.
    private static func fail(_ store: StateStore, _ event: StoredEvent) async throws {
        try await store.markFailed(
            destination: hook, seq: event.seq, attempt: 1, status: 500, error: "down", nextAttemptAt: nil)
    }
}
