import Synchronization

/// The workspace's id (`app.id_code` of `GET /me`): remembered in the store, learnt from Intercom on a
/// first run, shared by the poller (event ids) and the sinks (`app_id`).
public final class WorkspaceIdentity: Sendable {
    private let value: Mutex<String?>

    public init(_ known: String? = nil) {
        value = Mutex(known)
    }

    /// The id, or an empty string before it is known (nothing is queued before then).
    public var current: String { value.withLock { $0 ?? "" } }

    /// The id when known.
    public var known: String? { value.withLock { $0 } }

    /// Records the id.
    public func set(_ id: String) { value.withLock { $0 = id } }
}
