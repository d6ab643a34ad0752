extension StateStore {
    /// Inserts `workspace`'s topics that are missing, with `watermark = start_at = start`.
    ///
    /// Existing topics are never moved: a restart or a changed `start` in the configuration must not
    /// re-fire or skip anything. Only ``requestReset(topic:to:in:)`` moves a topic.
    public func ensureTopics(_ starts: [String: Int], in workspace: StoreWorkspace = .first) async throws {
        try await backend.ensureTopics(starts, in: workspace)
    }

    /// Every known topic of `workspace`, by name.
    public func topicStates(in workspace: StoreWorkspace = .first) async throws -> [TopicState] {
        try await backend.topicStates(in: workspace)
    }

    /// Asks the daemon to rewind (or advance) `topic` — every known topic when `nil` — of `workspace` — every
    /// workspace when `nil` — to `to` at its next cycle (see ``applyPendingResets(in:)``). A named topic a
    /// workspace does not know yet is created there (in every workspace, when `workspace` is `nil`).
    ///
    /// - Returns: the topics the request was recorded for, by name (each once).
    @discardableResult
    public func requestReset(topic: String?, to target: Int, in workspace: StoreWorkspace? = nil) async throws
        -> [String]
    {
        try await backend.requestReset(topic: topic, to: target, in: workspace)
    }

    /// ``requestReset(topic:to:in:)`` for each of `workspaces`, in one transaction (`reset --all-workspaces`:
    /// a named topic is created in these workspaces only, not in every row of the store).
    ///
    /// - Returns: the topics the request was recorded for, by name (each once).
    @discardableResult
    public func requestReset(topic: String?, to target: Int, inEach workspaces: [StoreWorkspace]) async throws
        -> [String]
    {
        try await backend.requestReset(topic: topic, to: target, inEach: workspaces)
    }

    /// The workspaces with a reset asked for and not applied yet (one read for all: ``ResetWatch``).
    public func workspacesWithPendingResets() async throws -> Set<StoreWorkspace> {
        try await backend.workspacesWithPendingResets()
    }

    /// Applies the resets admins asked for: the watermark and start point become the target, and the seen
    /// versions at or after it are forgotten, so those versions are detected and delivered again under
    /// the same event ids. A poll loop calls this for its `workspace` (`nil`: every workspace's) at its first cycle
    /// and at the first cycle after ``workspacesWithPendingResets()`` listed it (``ResetWatch``).
    ///
    /// - Returns: the topics that were reset, by name (each once).
    @discardableResult
    public func applyPendingResets(in workspace: StoreWorkspace? = .first) async throws -> [String] {
        try await backend.applyPendingResets(in: workspace)
    }

    /// Records the outcome of a poll of `workspace`'s `topics` for `status`, adding `skipped` unreadable and `futureDated`
    /// future-dated items to their counts.
    public func recordPoll(
        topics: [String], at time: Int, result: String, error: String?, skipped: Int = 0, futureDated: Int = 0,
        in workspace: StoreWorkspace = .first
    ) async throws {
        try await backend.recordPoll(
            topics: topics, at: time, result: result, error: error, skipped: skipped, futureDated: futureDated,
            in: workspace)
    }

    /// Records many workspaces' idle polls in one transaction: each topic's last poll and result, without an error.
    /// A record older than what a topic holds (an error written since) changes nothing.
    public func recordPolls(_ records: [PollRecord]) async throws {
        try await backend.recordPolls(records)
    }

    /// Forgets `workspace`'s seen versions older than each topic's horizon (`version < horizon`); returns how many.
    ///
    /// Only versions the poller will not fire again (older than its horizon) may go; each topic's
    /// ``TopicState/prunedBelow`` records the highest horizon pruned so far (kept across restarts).
    public func pruneSeenVersions(olderThan horizons: [String: Int], in workspace: StoreWorkspace = .first) async throws
        -> Int
    {
        try await backend.pruneSeenVersions(olderThan: horizons, in: workspace)
    }

    /// Every known topic of `workspace` and its `resource`'s resume point, in one read: what a pass needs before
    /// its first request.
    public func passState(_ resource: Resource, in workspace: StoreWorkspace = .first) async throws -> PassState {
        try await backend.passState(resource, in: workspace)
    }

    /// The resume point of `workspace`'s unfinished pass over `resource`, if one is stored.
    public func resumePoint(_ resource: Resource, in workspace: StoreWorkspace = .first) async throws -> ResumePoint? {
        try await backend.resumePoint(resource, in: workspace)
    }

    /// How many versions of `workspace`'s `topic` the store remembers (for `status` and tests).
    public func seenVersionCount(topic: String, in workspace: StoreWorkspace = .first) async throws -> Int {
        try await backend.seenVersionCount(topic: topic, in: workspace)
    }
}
