import GRDB

/// The polling state of one topic.
public struct TopicState: Sendable, Hashable {
    /// The topic, e.g. `contact.user.updated`.
    public var topic: String
    /// Versions up to here have been read (Unix seconds); only moves backwards through a reset.
    public var watermark: Int
    /// Versions before this never fire (Unix seconds): the configured start, or the last reset's target.
    public var startAt: Int
    /// When the topic was last polled, if ever.
    public var lastPollAt: Int?
    /// The outcome of the last poll (e.g. `ok`, `error`), if any.
    public var lastResult: String?
    /// The last poll's error, if it failed.
    public var lastError: String?
    /// A reset an admin asked for that the daemon has not applied yet.
    public var resetRequestedTo: Int?
    /// Seen versions below this were pruned (``StateStore/pruneSeenVersions(olderThan:)``), so the store can
    /// no longer deduplicate them: the poller must not fire versions below it. `nil` when nothing was pruned.
    public var prunedBelow: Int?
    /// Items of this topic's resource that polls skipped because they could not be read, counted per sighting.
    public var skippedItems: Int
    /// Items of this topic's resource dated beyond the clock plus a margin, counted per sighting.
    public var futureDatedItems: Int
    /// When the last completed pass over this topic started (Unix seconds, Intercom's clock when known),
    /// committed with its watermark; `nil` before the first. The lookback counts from here.
    public var lastPassStart: Int?
    /// Updates left without an event because only `ignore_fields` changed (#14).
    public var suppressedUpdates: Int

    /// Creates a topic state (the store creates these; tests and fakes may too).
    public init(
        topic: String, watermark: Int, startAt: Int, lastPollAt: Int? = nil, lastResult: String? = nil,
        lastError: String? = nil, resetRequestedTo: Int? = nil, prunedBelow: Int? = nil, skippedItems: Int = 0,
        futureDatedItems: Int = 0, lastPassStart: Int? = nil, suppressedUpdates: Int = 0
    ) {
        self.suppressedUpdates = suppressedUpdates
        self.topic = topic
        self.watermark = watermark
        self.startAt = startAt
        self.lastPollAt = lastPollAt
        self.lastResult = lastResult
        self.lastError = lastError
        self.resetRequestedTo = resetRequestedTo
        self.prunedBelow = prunedBelow
        self.skippedItems = skippedItems
        self.futureDatedItems = futureDatedItems
        self.lastPassStart = lastPassStart
    }

    /// The oldest timestamp a pass starting at `now` must read (and the dedup horizon) with `lookback`:
    /// ``TopicWindow/horizon(watermark:passStart:lookback:)`` from the last completed pass's start, or from
    /// `now` before the first.
    public func horizon(now: Int, lookback: Int) -> Int {
        TopicWindow.horizon(watermark: watermark, passStart: lastPassStart ?? now, lookback: lookback)
    }
}

extension TopicState {
    /// Decodes a `topic_state` row.
    init(row: Row) {
        self.init(
            topic: row["topic"],
            watermark: row["watermark"],
            startAt: row["start_at"],
            lastPollAt: row["last_poll_at"],
            lastResult: row["last_result"],
            lastError: row["last_error"],
            resetRequestedTo: row["reset_requested_to"],
            prunedBelow: row["pruned_below"],
            skippedItems: row["skipped_items"],
            futureDatedItems: row["future_dated_items"],
            lastPassStart: row["last_pass_start"],
            suppressedUpdates: row["suppressed_updates"]
        )
    }
}
