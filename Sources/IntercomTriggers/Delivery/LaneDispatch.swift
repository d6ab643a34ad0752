/// How a ``DeliveryLane`` hands its due rows to its ``EventSink``.
public enum LaneDispatch: Sendable, Hashable {
    /// Whole batches, one sink call at a time (stdout: one `write` per batch).
    case batches
    /// One entry per sink call, up to this many calls at once; order is best effort.
    case concurrent(Int)
    /// One entry per sink call, one at a time, oldest first within each workspace; a head that fails blocks the
    /// later rows of its workspace until it is delivered or becomes a dead letter (other workspaces' events, which
    /// have no order relation to them, go on).
    case ordered

    /// The dispatch of a webhook destination with `concurrency` and `ordered` from its configuration.
    public static func webhook(concurrency: Int, ordered: Bool) -> LaneDispatch {
        ordered ? .ordered : .concurrent(max(1, concurrency))
    }
}
