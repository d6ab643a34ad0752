import GRDB

extension SQLiteStore {
    /// The workspace named `name` (a configuration's `[[workspace]] name`), created when the store has none:
    /// calling it again returns the same one. The daemon registers each configured workspace at start.
    @discardableResult
    func registerWorkspace(name: String) async throws -> StoreWorkspace {
        try await write("register workspace") { db in
            try db.execute(
                sql: "INSERT INTO workspace (name) VALUES (?) ON CONFLICT (name) DO NOTHING", arguments: [name])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM workspace WHERE name = ?", arguments: [name])
            return StoreWorkspace(id: id ?? 0)
        }
    }

    /// The workspace named `name`, if registered.
    func workspace(named name: String) async throws -> StoreWorkspace? {
        try await read("read workspace") { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM workspace WHERE name = ?", arguments: [name])
                .map(StoreWorkspace.init(id:))
        }
    }

    /// Every registered workspace by id, with its name and Intercom app id (once known).
    func workspaces() async throws -> [(workspace: StoreWorkspace, name: String, appID: String?)] {
        try await read("read workspaces") { db in
            try Row.fetchAll(db, sql: "SELECT id, name, app_id FROM workspace ORDER BY id").map {
                (StoreWorkspace(id: $0["id"]), $0["name"], $0["app_id"])
            }
        }
    }

    /// The Intercom app id `workspace`'s rows were read from (`nil` before its first poll): a token of another
    /// workspace must not continue them (``WorkspaceMismatch``).
    func appID(of workspace: StoreWorkspace = .first) async throws -> String? {
        try await read("read app id") { db in
            try String.fetchOne(db, sql: "SELECT app_id FROM workspace WHERE id = ?", arguments: [workspace.id])
        }
    }

    /// Records the Intercom app id of `workspace` (`nil` forgets it).
    func setAppID(_ appID: String?, of workspace: StoreWorkspace = .first) async throws {
        try await write("write app id") { db in
            try db.execute(
                sql: "UPDATE workspace SET app_id = ? WHERE id = ?", arguments: [appID, workspace.id])
        }
    }

    /// Records `appID` as `workspace`'s unless another workspace's rows were read from that app: returns the other
    /// workspace's name then (nothing is written), else nil. One check and write, so two workspaces configured with
    /// tokens of the same app cannot both claim it.
    func claimAppID(_ appID: String, for workspace: StoreWorkspace) async throws -> String? {
        try await write("claim app id") { db in
            if let other = try String.fetchOne(
                db, sql: "SELECT name FROM workspace WHERE app_id = ? AND id != ? ORDER BY id LIMIT 1",
                arguments: [appID, workspace.id])
            {
                return other
            }
            try db.execute(sql: "UPDATE workspace SET app_id = ? WHERE id = ?", arguments: [appID, workspace.id])
            return nil
        }
    }
}
