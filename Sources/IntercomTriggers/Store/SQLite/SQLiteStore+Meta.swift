import GRDB

extension SQLiteStore {
    /// The `meta` value for `key` (e.g. `store_format`; a workspace's app id lives in `workspace` since v10), if set.
    func metaValue(forKey key: String) async throws -> String? {
        try await read("read meta") { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
        }
    }

    /// Sets (or, with `nil`, removes) the `meta` value for `key`.
    func setMetaValue(_ value: String?, forKey key: String) async throws {
        try await write("write meta") { db in
            if let value {
                try db.execute(
                    sql:
                        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
            }
        }
    }
}
