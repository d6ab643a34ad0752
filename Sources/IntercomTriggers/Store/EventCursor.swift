/// Where `tail --follow` is in a store's events (``StateStore/followEvents(after:topic:since:limit:workspace:)``):
/// the last event read and, on PostgreSQL, the transaction that stored it.
public struct EventCursor: Sendable, Hashable {
    /// The last event's seq.
    public var seq: Int64
    /// The PostgreSQL transaction that stored it (0 on SQLite and for events stored before the column existed).
    public var transaction: Int64

    /// Before every event.
    public static let start = EventCursor(seq: 0)

    public init(seq: Int64, transaction: Int64 = 0) {
        self.seq = seq
        self.transaction = transaction
    }
}
