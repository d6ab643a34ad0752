/// An idle poll of a workspace's topics, recorded for `status` later and in a batch (``StateStore/recordPolls(_:)``).
public struct PollRecord: Sendable, Equatable {
    public var workspace: StoreWorkspace
    public var topics: [String]
    /// When the poll ran (Unix seconds).
    public var at: Int
    /// `ok: …`, as ``StateStore/recordPoll(topics:at:result:error:skipped:futureDated:in:)`` takes it.
    public var result: String

    public init(workspace: StoreWorkspace, topics: [String], at: Int, result: String) {
        self.workspace = workspace
        self.topics = topics
        self.at = at
        self.result = result
    }
}
