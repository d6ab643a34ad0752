/// A workspace's rows in the store: every watermark, seen version, role, snapshot, resume point and event belongs
/// to one (#15). Made by ``StateStore/registerWorkspace(name:)`` or looked up by ``StateStore/workspace(named:)``.
public struct StoreWorkspace: Sendable, Hashable {
    /// The `workspace.id` its rows carry.
    public let id: Int64

    /// Workspace 1, named `default`: the one a single-workspace store holds (migration v10 moves an older store's
    /// rows there). The store API defaults to it while the daemon serves one workspace; the defaults go when the
    /// runtime serves many.
    public static let first = StoreWorkspace(id: 1)
}
