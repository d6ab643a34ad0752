extension StateStore {
    /// Up to `limit` pending rows of `destination` due at `now` (`next_attempt_at <= now`), each with its event,
    /// shared fairly among the workspaces with due rows (``FairShare``): round-robin, each workspace's rows in event
    /// order, a workspace that cannot fill its share leaving it to the others. `after` (the workspace of the last
    /// row of the lane's previous turn) says where the round starts: after it. With one workspace: its first
    /// `limit` due rows in event order.
    ///
    /// A turn reads one index seek per workspace with pending rows and then only the rows it returns (plus, per
    /// workspace, pending rows not yet due before them): never a whole backlog.
    ///
    /// With `claim` (a shared store's lanes), rows another daemon's claim holds are left out and the rows returned
    /// are claimed (``OutboxClaim``); a SQLite store's one daemon needs none.
    public func dueOutbox(
        destination: String, now: Int, limit: Int, after rotation: StoreWorkspace? = nil, claim: OutboxClaim? = nil
    ) async throws -> [OutboxEntry] {
        try await backend.dueOutbox(destination: destination, now: now, limit: limit, after: rotation, claim: claim)
    }

    /// The earliest `next_attempt_at` of `destination`'s pending rows, or `nil` when none is pending:
    /// how long an idle lane may sleep. A row another daemon than `claimant` holds counts from when its claim runs
    /// out.
    public func nextAttemptAt(destination: String, claimant: String? = nil) async throws -> Int? {
        try await backend.nextAttemptAt(destination: destination, claimant: claimant)
    }

    /// Records `attempts` of `destination`'s pending rows in one transaction: a lane's outcomes, written as
    /// they complete. Rows no longer pending (replayed, purged) are left as they are.
    public func recordAttempts(destination: String, _ attempts: [OutboxAttempt]) async throws {
        try await backend.recordAttempts(destination: destination, attempts)
    }

    /// Marks pending rows delivered after a successful attempt at `time` (counts the attempt).
    public func markDelivered(destination: String, seqs: [Int64], at time: Int) async throws {
        try await backend.recordAttempts(
            destination: destination, seqs.map { OutboxAttempt(seq: $0, result: .delivered(at: time)) })
    }

    /// Records failed attempt number `attempt` (1 = the first) of a pending row made at `time` (`nil` leaves
    /// the attempt times as they were): due again at `nextAttemptAt`, or a dead letter when that is `nil`.
    public func markFailed(
        destination: String, seq: Int64, attempt: Int, status: Int?, error: String, nextAttemptAt: Int?,
        at time: Int? = nil
    ) async throws {
        try await backend.recordAttempts(
            destination: destination,
            [
                OutboxAttempt(
                    seq: seq,
                    result: .failed(
                        attempt: attempt, status: status, error: error, nextAttemptAt: nextAttemptAt, at: time))
            ])
    }

    /// Pending rows per destination (destinations with none are absent), of `workspace`'s events (`nil`: all).
    public func queueDepth(workspace: StoreWorkspace? = nil) async throws -> [String: Int] {
        try await backend.queueDepth(workspace: workspace)
    }

    /// Dead letters per destination (destinations with none are absent), of `workspace`'s events (`nil`: all).
    public func deadLetterCounts(workspace: StoreWorkspace? = nil) async throws -> [String: Int] {
        try await backend.deadLetterCounts(workspace: workspace)
    }

    /// Every destination that has outbox rows (of `workspace`'s events; `nil`: all), by name: counts, lag and last
    /// delivery.
    public func destinationSummaries(workspace: StoreWorkspace? = nil) async throws -> [DestinationSummary] {
        try await backend.destinationSummaries(workspace: workspace)
    }

    /// Deletes delivered rows delivered before `time`; returns how many. Dead letters stay.
    public func pruneDelivered(before time: Int) async throws -> Int {
        try await backend.pruneDelivered(before: time)
    }

    /// Deletes events detected before `time` that no outbox row refers to any more (all delivered and
    /// pruned, or never routed anywhere); returns how many. `tail` no longer shows them.
    public func pruneEvents(before time: Int) async throws -> Int {
        try await backend.pruneEvents(before: time)
    }

    /// Dead letters of `destination` (all destinations when `nil`) and of `workspace`'s events (all when `nil`), by
    /// destination then event order.
    public func deadLetters(destination: String?, workspace: StoreWorkspace? = nil) async throws -> [DeadLetter] {
        try await backend.deadLetters(destination: destination, workspace: workspace)
    }

    /// Deletes the dead letters of `destination` (all destinations when `nil`) and of `workspace`'s events (all
    /// when `nil`); returns how many.
    public func purgeDeadLetters(destination: String?, workspace: StoreWorkspace? = nil) async throws -> Int {
        try await backend.purgeDeadLetters(destination: destination, workspace: workspace)
    }

    /// Queues deliveries to `destination` again, due at once with a fresh retry schedule:
    /// - `eventID`: that one event, whatever its state (also when delivered, pruned, or never routed there);
    /// - otherwise `since`: the dead letters of events detected at or after `since`;
    /// - otherwise `allFailed`: every dead letter.
    ///
    /// With `workspace` set, only its events are queued again.
    ///
    /// - Returns: how many rows were queued (0 when the event is unknown or nothing matched).
    public func replay(
        destination: String, eventID: String?, since: Int?, allFailed: Bool, workspace: StoreWorkspace? = nil
    ) async throws -> Int {
        try await backend.replay(
            destination: destination, eventID: eventID, since: since, allFailed: allFailed, workspace: workspace)
    }

    /// Makes every pending row of `destination` that waits for a later attempt (a retry step, a receiver's
    /// `Retry-After`) due at `now`, keeping its attempts — only those of `workspace`'s events when set; returns how
    /// many. Its lane, if throttled, notices within a second.
    public func retryWaitingNow(destination: String, now: Int, workspace: StoreWorkspace? = nil) async throws -> Int {
        try await backend.retryWaitingNow(destination: destination, now: now, workspace: workspace)
    }

    /// Whether any of `seqs` is still a pending row of `destination` due at or after `until`: a throttled lane
    /// stops waiting early once an admin made them due (``retryWaitingNow(destination:now:workspace:)``).
    public func isWaiting(destination: String, seqs: [Int64], until: Int) async throws -> Bool {
        try await backend.isWaiting(destination: destination, seqs: seqs, until: until)
    }

    /// Disables `name` (e.g. after HTTP 410) until ``enableDestination(_:)``.
    public func setDestinationDisabled(_ name: String, reason: String?, at time: Int) async throws {
        try await backend.setDestinationDisabled(name, reason: reason, at: time)
    }

    /// Re-enables `name`; its pending rows are delivered again by its lane.
    public func enableDestination(_ name: String) async throws {
        try await backend.enableDestination(name)
    }

    /// The destinations the store has a state for (only disabled ones, today), by name.
    public func destinationStates() async throws -> [DestinationState] {
        try await backend.destinationStates()
    }

    /// Destination name → events its filter skipped so far (only destinations that skipped any).
    public func filteredCounts() async throws -> [String: Int] {
        try await backend.filteredCounts()
    }
}
