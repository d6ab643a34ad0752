import Foundation

/// Who polls a workspace of a shared store (#16), as `status` shows it.
public struct WorkspaceLease: Sendable, Hashable {
    /// The workspace.
    public var workspace: StoreWorkspace
    /// The member id of the daemon holding it; nil when released.
    public var owner: String?
    /// Raised by every take-over.
    public var epoch: Int64
    /// When the lease runs out unless renewed (Unix seconds, the database's clock).
    public var expiresAt: Int
    /// Whether it had run out when read.
    public var expired: Bool

    public init(workspace: StoreWorkspace, owner: String?, epoch: Int64, expiresAt: Int, expired: Bool) {
        self.workspace = workspace
        self.owner = owner
        self.epoch = epoch
        self.expiresAt = expiresAt
        self.expired = expired
    }
}
