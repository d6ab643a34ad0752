import GRDB

/// A delivery whose retry schedule is exhausted, as `dead-letters` lists it (without the item body).
public struct DeadLetter: Sendable, Hashable {
    /// The destination's configured name.
    public var destination: String
    /// The event's sequence number.
    public var eventSeq: Int64
    /// The event id (what `replay --event` takes).
    public var eventID: String
    /// The event's topic.
    public var topic: String
    /// The Intercom id of the item.
    public var itemID: String
    /// The version that fired.
    public var version: Int
    /// When the event was detected.
    public var detectedAt: Int
    /// Attempts made.
    public var attempts: Int
    /// When the first attempt was made, if recorded.
    public var firstSentAt: Int?
    /// When the last attempt was made, if recorded.
    public var lastAttemptAt: Int?
    /// The HTTP status of the last attempt, if it got one.
    public var lastStatus: Int?
    /// Why the last attempt failed.
    public var lastError: String?

    /// Creates a dead letter (the store creates these; tests and fakes may too).
    public init(
        destination: String, eventSeq: Int64, eventID: String, topic: String, itemID: String, version: Int,
        detectedAt: Int, attempts: Int, firstSentAt: Int?, lastAttemptAt: Int?, lastStatus: Int?, lastError: String?
    ) {
        self.destination = destination
        self.eventSeq = eventSeq
        self.eventID = eventID
        self.topic = topic
        self.itemID = itemID
        self.version = version
        self.detectedAt = detectedAt
        self.attempts = attempts
        self.firstSentAt = firstSentAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
    }
}

extension DeadLetter {
    /// Decodes a row of the dead-letter query in ``StateStore/deadLetters(destination:)``.
    init(row: Row) {
        self.init(
            destination: row["destination"],
            eventSeq: row["seq"],
            eventID: row["id"],
            topic: row["topic"],
            itemID: row["item_id"],
            version: row["version"],
            detectedAt: row["detected_at"],
            attempts: row["attempts"],
            firstSentAt: row["first_sent_at"],
            lastAttemptAt: row["last_attempt_at"],
            lastStatus: row["last_status"],
            lastError: row["last_error"]
        )
    }
}
