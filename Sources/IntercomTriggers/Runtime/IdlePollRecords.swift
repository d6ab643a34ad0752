import Synchronization

/// Idle polls waiting to be recorded for `status`: every workspace's poll loop notes them here, and the
/// ``PollScheduler`` writes them all in one transaction every few seconds (``StateStore/recordPolls(_:)``), so a
/// thousand idle workspaces cost one store write per flush instead of one per poll. Polls with events, skipped
/// items or errors are written at once, as before.
public final class IdlePollRecords: Sendable {
    private let pending = Mutex<[PendingKey: PollRecord]>([:])

    private struct PendingKey: Hashable {
        var workspace: StoreWorkspace
        var topics: [String]
    }

    public init() {}

    /// Notes `record`, replacing an older one of the same workspace and topics.
    public func note(_ record: PollRecord) {
        pending.withLock { $0[PendingKey(workspace: record.workspace, topics: record.topics)] = record }
    }

    /// Polls noted and not yet taken.
    public var count: Int { pending.withLock { $0.count } }

    /// Takes every noted record (the next flush starts empty).
    public func take() -> [PollRecord] {
        pending.withLock { pending in
            defer { pending = [:] }
            return Array(pending.values)
        }
    }
}
