import PostgresNIO

extension PostgresStore {
    func metaValue(forKey key: String) async throws -> String? {
        try await read("read meta") { [logger] connection in
            try await connection.one("SELECT value FROM meta WHERE key = \(key)", String.self, logger)
        }
    }

    func setMetaValue(_ value: String?, forKey key: String) async throws {
        try await write("write meta") { [logger] connection in
            if let value {
                try await connection.run(
                    """
                    INSERT INTO meta (key, value) VALUES (\(key), \(value))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, logger: logger)
            } else {
                try await connection.run("DELETE FROM meta WHERE key = \(key)", logger: logger)
            }
        }
    }
}
