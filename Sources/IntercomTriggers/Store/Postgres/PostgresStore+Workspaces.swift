import PostgresNIO

extension PostgresStore {
    func registerWorkspace(name: String) async throws -> StoreWorkspace {
        try await write("register workspace") { [logger] connection in
            try await connection.run(
                "INSERT INTO workspace (name) VALUES (\(name)) ON CONFLICT (name) DO NOTHING", logger: logger)
            let id = try await connection.one("SELECT id FROM workspace WHERE name = \(name)", Int64.self, logger)
            return StoreWorkspace(id: id ?? 0)
        }
    }

    func workspace(named name: String) async throws -> StoreWorkspace? {
        try await read("read workspace") { [logger] connection in
            try await connection.one("SELECT id FROM workspace WHERE name = \(name)", Int64.self, logger)
                .map(StoreWorkspace.init(id:))
        }
    }

    func workspaces() async throws -> [(workspace: StoreWorkspace, name: String, appID: String?)] {
        try await read("read workspaces") { [logger] connection in
            try await connection.all(
                "SELECT id, name, app_id FROM workspace ORDER BY id", (Int64, String, String?).self, logger
            ).map { (StoreWorkspace(id: $0.0), $0.1, $0.2) }
        }
    }

    func appID(of workspace: StoreWorkspace) async throws -> String? {
        try await read("read app id") { [logger] connection in
            let appID: String?? = try await connection.one(
                "SELECT app_id FROM workspace WHERE id = \(workspace.id)", String?.self, logger)
            return appID ?? nil
        }
    }

    func setAppID(_ appID: String?, of workspace: StoreWorkspace) async throws {
        try await write("write app id") { [logger] connection in
            try await connection.run(
                "UPDATE workspace SET app_id = \(appID) WHERE id = \(workspace.id)", logger: logger)
        }
    }

    func claimAppID(_ appID: String, for workspace: StoreWorkspace) async throws -> String? {
        try await write("claim app id") { [logger] connection in
            // Serialised with every other claim: two daemons' workspaces with tokens of one app cannot both win.
            try await connection.run("LOCK TABLE workspace IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            if let other = try await connection.one(
                """
                SELECT name FROM workspace WHERE app_id = \(appID) AND id <> \(workspace.id) ORDER BY id LIMIT 1
                """, String.self, logger)
            {
                return other
            }
            try await connection.run(
                "UPDATE workspace SET app_id = \(appID) WHERE id = \(workspace.id)", logger: logger)
            return nil
        }
    }
}
