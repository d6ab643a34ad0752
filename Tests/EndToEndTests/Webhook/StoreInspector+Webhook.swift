import GRDB

@testable import IntercomTriggers

extension StoreInspector {
    /// Event ids whose outbox row for `destination` is `delivered`.
    func deliveredEventIDs(destination: String) async throws -> Set<String> {
        try await store.read("e2e delivered ids") { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT event.id FROM outbox JOIN event ON event.seq = outbox.event_seq
                        WHERE outbox.destination = ? AND outbox.state = 'delivered'
                        """,
                    arguments: [destination]))
        }
    }

    /// Outbox rows of `destination` in `state` (`pending`, `delivered`, `dead`).
    func outboxCount(destination: String, state: String) async throws -> Int {
        try await store.read("e2e outbox by state") { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM outbox WHERE destination = ? AND state = ?",
                arguments: [destination, state]) ?? 0
        }
    }
}

extension StoreInspector {
    /// One destination's outbox rows in one state, with the earliest `next_attempt_at` among them.
    struct OutboxGroup: Sendable {
        var destination: String
        var state: String
        var count: Int
        var nextAttemptAt: Int?
    }

    /// The outbox grouped by destination and state: what a stuck fan-out's diagnosis shows.
    func outboxGroups() async throws -> [OutboxGroup] {
        try await store.read("e2e outbox groups") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT destination, state, COUNT(*) AS rows, MIN(next_attempt_at) AS next
                    FROM outbox GROUP BY destination, state ORDER BY destination, state
                    """
            ).map {
                OutboxGroup(
                    destination: $0["destination"], state: $0["state"], count: $0["rows"], nextAttemptAt: $0["next"])
            }
        }
    }
}
