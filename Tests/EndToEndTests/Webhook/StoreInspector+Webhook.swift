import GRDB

@testable import IntercomTriggers

extension StoreInspector {
    /// Event ids whose outbox row for `destination` is `delivered`.
    func deliveredEventIDs(destination: String) throws -> Set<String> {
        try store.read("e2e delivered ids") { db in
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
    func outboxCount(destination: String, state: String) throws -> Int {
        try store.read("e2e outbox by state") { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM outbox WHERE destination = ? AND state = ?",
                arguments: [destination, state]) ?? 0
        }
    }
}
