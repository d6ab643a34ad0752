/// One workspace as the daemon serves it: its own Intercom client (its token, base URL and rate limiter, on the
/// daemon's shared transport) and its poll loop over its rows in the store.
public struct WorkspaceRuntime: Sendable {
    /// Its resolved settings.
    public let configuration: DaemonConfiguration.Workspace
    /// Its rows in the store.
    public let storeWorkspace: StoreWorkspace
    public let client: IntercomClient
    public let poller: PollerService
    /// Its Intercom app id: known from the store, or learnt at its first poll.
    public let identity: WorkspaceIdentity

    /// The workspace's name.
    public var name: String { configuration.name }
}
