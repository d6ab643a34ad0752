/// What a page's commit must still hold to be written (#16): the lease of its workspace under `epoch`, owned by
/// `owner`. A daemon that lost the lease (paused, partitioned, slow) cannot commit again: the commit checks the
/// lease row in the same transaction and fails with ``StoreError/fenced(workspace:epoch:)``.
public struct LeaseFence: Sendable, Hashable {
    /// The daemon's member id.
    public var owner: String
    /// The lease's epoch when the daemon took it; every take-over raises it.
    public var epoch: Int64

    public init(owner: String, epoch: Int64) {
        self.owner = owner
        self.epoch = epoch
    }
}
