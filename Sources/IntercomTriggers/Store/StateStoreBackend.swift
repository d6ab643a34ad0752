import Foundation

/// What a store's engine does: the SQLite file (``SQLiteStore``) or a PostgreSQL database shared by several daemons
/// (``PostgresStore``). ``StateStore`` is the one type the rest of the daemon sees; each of its operations is one of
/// these, with the same meaning on every engine (the store's suites run against each).
protocol StateStoreBackend: Sendable {
    /// Reads and writes run so far.
    var accesses: (reads: Int, writes: Int) { get }
    /// Closes the connection(s); any later call throws.
    func close() throws
    /// A number that changes whenever another process commits to the store.
    func outsideWriteVersion() async throws -> Int

    func commit(_ page: PageCommit, routes: OutboxRoutes) async throws -> PageOutcome
    func events(afterSeq: Int64, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace?) async throws
        -> [StoredEvent]
    func followEvents(
        after cursor: EventCursor, topic: String?, since: Int?, limit: Int, workspace: StoreWorkspace?
    ) async throws -> (events: [StoredEvent], cursor: EventCursor)
    func event(id: String) async throws -> StoredEvent?
    func lastEventSeq() async throws -> Int64
    func metaValue(forKey key: String) async throws -> String?
    func setMetaValue(_ value: String?, forKey key: String) async throws
    func dueOutbox(destination: String, now: Int, limit: Int, after rotation: StoreWorkspace?, claim: OutboxClaim?)
        async throws -> [OutboxEntry]
    func nextAttemptAt(destination: String, claimant: String?) async throws -> Int?
    func recordAttempts(destination: String, _ attempts: [OutboxAttempt]) async throws
    func queueDepth(workspace: StoreWorkspace?) async throws -> [String: Int]
    func deadLetterCounts(workspace: StoreWorkspace?) async throws -> [String: Int]
    func destinationSummaries(workspace: StoreWorkspace?) async throws -> [DestinationSummary]
    func pruneDelivered(before time: Int) async throws -> Int
    func pruneEvents(before time: Int) async throws -> Int
    func deadLetters(destination: String?, workspace: StoreWorkspace?) async throws -> [DeadLetter]
    func purgeDeadLetters(destination: String?, workspace: StoreWorkspace?) async throws -> Int
    func replay(destination: String, eventID: String?, since: Int?, allFailed: Bool, workspace: StoreWorkspace?)
        async throws -> Int
    func retryWaitingNow(destination: String, now: Int, workspace: StoreWorkspace?) async throws -> Int
    func isWaiting(destination: String, seqs: [Int64], until: Int) async throws -> Bool
    func setDestinationDisabled(_ name: String, reason: String?, at time: Int) async throws
    func enableDestination(_ name: String) async throws
    func destinationStates() async throws -> [DestinationState]
    func filteredCounts() async throws -> [String: Int]
    func sightings(of candidates: [SeenVersion], roles versions: [String: Int], in workspace: StoreWorkspace)
        async throws -> StateStore.Sightings
    func forgetSnapshots(of itemIDs: [String], in workspace: StoreWorkspace) async throws -> Int
    func dropSnapshots(in workspace: StoreWorkspace) async throws -> Int
    func snapshotCount(in workspace: StoreWorkspace) async throws -> Int
    func ensureTopics(_ starts: [String: Int], in workspace: StoreWorkspace) async throws
    func topicStates(in workspace: StoreWorkspace) async throws -> [TopicState]
    func requestReset(topic: String?, to target: Int, in workspace: StoreWorkspace?) async throws -> [String]
    func requestReset(topic: String?, to target: Int, inEach workspaces: [StoreWorkspace]) async throws -> [String]
    func workspacesWithPendingResets() async throws -> Set<StoreWorkspace>
    func applyPendingResets(in workspace: StoreWorkspace?) async throws -> [String]
    func recordPoll(
        topics: [String], at time: Int, result: String, error: String?, skipped: Int, futureDated: Int,
        in workspace: StoreWorkspace) async throws
    func recordPolls(_ records: [PollRecord]) async throws
    func pruneSeenVersions(olderThan horizons: [String: Int], in workspace: StoreWorkspace) async throws -> Int
    func passState(_ resource: Resource, in workspace: StoreWorkspace) async throws -> PassState
    func resumePoint(_ resource: Resource, in workspace: StoreWorkspace) async throws -> ResumePoint?
    func seenVersionCount(topic: String, in workspace: StoreWorkspace) async throws -> Int
    func topicStatesByWorkspace() async throws -> [StoreWorkspace: [TopicState]]
    func outboxCountsByWorkspace() async throws -> [StoreWorkspace: StateStore.WorkspaceOutboxCounts]
    func registerWorkspace(name: String) async throws -> StoreWorkspace
    func workspace(named name: String) async throws -> StoreWorkspace?
    func workspaces() async throws -> [(workspace: StoreWorkspace, name: String, appID: String?)]
    func appID(of workspace: StoreWorkspace) async throws -> String?
    func setAppID(_ appID: String?, of workspace: StoreWorkspace) async throws
    func claimAppID(_ appID: String, for workspace: StoreWorkspace) async throws -> String?

    func heartbeat(_ member: DaemonMember, ttl: Int) async throws -> [DaemonMember]
    func leaveMembership(_ member: DaemonMember) async throws
    func claimLeases(_ workspaces: [StoreWorkspace], owner: String, ttl: Int) async throws -> [StoreWorkspace: Int64]
    func releaseLeases(_ workspaces: [StoreWorkspace], owner: String) async throws
    func claimLaneLeases(_ destinations: [String], owner: String, ttl: Int) async throws -> [String: Int64]
    func releaseLaneLeases(_ destinations: [String], owner: String) async throws
    func leases() async throws -> [WorkspaceLease]
    func members(within ttl: Int) async throws -> [DaemonMember]
    func laneLeases() async throws -> [LaneLease]
}
