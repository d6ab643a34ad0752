import Synchronization

/// Which workspaces have a `reset` waiting, as the ``PollScheduler`` last read it: one store read every few seconds
/// for every workspace, instead of one per workspace per cycle (`reset` is another process's write to the store, so
/// only a read learns of it). A poll loop applies its workspace's resets at its first cycle and then whenever this
/// says some are waiting (``take(_:)``).
public final class ResetWatch: Sendable {
    private let waiting = Mutex<Set<StoreWorkspace>>([])

    public init() {}

    /// Notes that `workspaces` have resets waiting (added to any not taken yet).
    public func note(_ workspaces: Set<StoreWorkspace>) {
        guard !workspaces.isEmpty else { return }
        waiting.withLock { $0.formUnion(workspaces) }
    }

    /// Whether `workspace` has resets waiting; the next call says no until they are noted again.
    public func take(_ workspace: StoreWorkspace) -> Bool {
        waiting.withLock { $0.remove(workspace) != nil }
    }
}
