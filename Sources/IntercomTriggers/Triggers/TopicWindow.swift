/// Which versions of one topic a poll may fire: at or after `start`, and — for topics whose seen
/// versions are pruned — at or after `horizon`, below which the seen-version memory is gone.
public struct TopicWindow: Sendable, Equatable {
    /// The trigger's start point (Unix seconds): earlier versions never fire.
    public var start: Int
    /// The oldest version still remembered for deduplication (Unix seconds).
    public var horizon: Int

    public init(start: Int, horizon: Int) {
        self.start = start
        self.horizon = horizon
    }

    /// The read window for a topic with watermark `watermark` (the first second not yet read) whose last
    /// completed pass started at `passStart`: everything from the watermark on is new, and a version that
    /// was not yet searchable when that pass started has a timestamp within `lookback` of its start.
    /// Anchored at the last completed pass, not at this one, the lookback holds whatever the interval, the
    /// pass's length, backoff, restarts or downtime.
    public static func horizon(watermark: Int, passStart: Int, lookback: Int) -> Int {
        min(watermark, passStart.subtractingSaturated(lookback))
    }
}
