extension StateStore {
    /// The name of the workspace migration v10 creates (id 1, ``StoreWorkspace/first``): the single-workspace
    /// configuration's.
    public static let defaultWorkspaceName = "default"

    /// The workspace named `name` (a configuration's `[[workspace]] name`), created when the store has none:
    /// calling it again returns the same one. The daemon registers each configured workspace at start.
    @discardableResult
    public func registerWorkspace(name: String) async throws -> StoreWorkspace {
        try await backend.registerWorkspace(name: name)
    }

    /// The workspace named `name`, if registered.
    public func workspace(named name: String) async throws -> StoreWorkspace? {
        try await backend.workspace(named: name)
    }

    /// Every registered workspace by id, with its name and Intercom app id (once known).
    public func workspaces() async throws -> [(workspace: StoreWorkspace, name: String, appID: String?)] {
        try await backend.workspaces()
    }

    /// The Intercom app id `workspace`'s rows were read from (`nil` before its first poll): a token of another
    /// workspace must not continue them (``WorkspaceMismatch``).
    public func appID(of workspace: StoreWorkspace = .first) async throws -> String? {
        try await backend.appID(of: workspace)
    }

    /// Records the Intercom app id of `workspace` (`nil` forgets it).
    public func setAppID(_ appID: String?, of workspace: StoreWorkspace = .first) async throws {
        try await backend.setAppID(appID, of: workspace)
    }

    /// Records `appID` as `workspace`'s unless another workspace's rows were read from that app: returns the other
    /// workspace's name then (nothing is written), else nil. One check and write, so two workspaces configured with
    /// tokens of the same app cannot both claim it.
    public func claimAppID(_ appID: String, for workspace: StoreWorkspace) async throws -> String? {
        try await backend.claimAppID(appID, for: workspace)
    }
}
