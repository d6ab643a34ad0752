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

    /// The read window for a topic with watermark `watermark` (the first second not yet read) polled at
    /// `now`: everything from the watermark on is new, and anything that became searchable late has a
    /// timestamp within `lookback` of now.
    public static func horizon(watermark: Int, now: Int, lookback: Int) -> Int {
        min(watermark, now - lookback)
    }
}
