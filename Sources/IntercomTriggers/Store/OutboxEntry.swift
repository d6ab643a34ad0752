import GRDB

/// One pending delivery of one event to one destination, as a delivery lane reads it.
public struct OutboxEntry: Sendable, Hashable {
    /// The destination's configured name.
    public var destination: String
    /// The event, with its raw item.
    public var event: StoredEvent
    /// Attempts made so far (0 before the first); the next one is `attempts + 1` (`delivery_attempts`).
    public var attempts: Int
    /// When this row is due (Unix seconds).
    public var nextAttemptAt: Int
    /// When the first attempt was made, if any (the envelope's `first_sent_at`).
    public var firstSentAt: Int?
    /// When the last attempt was made, if any.
    public var lastAttemptAt: Int?
    /// The HTTP status of the last failed attempt, if it got one.
    public var lastStatus: Int?
    /// Why the last attempt failed, if it did.
    public var lastError: String?
    /// The workspace of the event: a lane serves its workspaces round-robin, an ordered lane keeps order per
    /// workspace.
    public var workspace: StoreWorkspace

    /// Creates an outbox entry (the store creates these; tests and fakes may too).
    public init(
        destination: String, event: StoredEvent, attempts: Int, nextAttemptAt: Int, firstSentAt: Int? = nil,
        lastAttemptAt: Int? = nil, lastStatus: Int? = nil, lastError: String? = nil, workspace: StoreWorkspace = .first
    ) {
        self.destination = destination
        self.event = event
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.firstSentAt = firstSentAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.workspace = workspace
    }
}

extension OutboxEntry {
    /// The outbox columns `init(row:)` reads besides ``StoredEvent/columns``.
    static let columns = """
        outbox.destination, outbox.attempts, outbox.next_attempt_at, outbox.first_sent_at, \
        outbox.last_attempt_at, outbox.last_status, outbox.last_error, outbox.workspace
        """

    /// Decodes a row selected with ``columns`` then ``StoredEvent/columns``, by position.
    init(row: Row) {
        self.init(
            destination: row[0],
            event: StoredEvent(row: row, offset: 8),
            attempts: row[1],
            nextAttemptAt: row[2],
            firstSentAt: row[3],
            lastAttemptAt: row[4],
            lastStatus: row[5],
            lastError: row[6],
            workspace: StoreWorkspace(id: row[7])
        )
    }
}
