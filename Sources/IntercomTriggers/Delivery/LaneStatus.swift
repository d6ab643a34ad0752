/// Where one destination's delivery lane stands, for `status`, `STATUS=` and logs.
public struct LaneStatus: Sendable, Hashable {
    /// What the lane is doing.
    public enum State: Sendable, Hashable {
        /// Not started yet.
        case starting
        /// Delivering, or waiting for something to be due.
        case running
        /// Paused by the destination (429, 502, 503, 504) until this time (Unix seconds).
        case throttled(until: Int)
        /// Disabled in the store (e.g. 410) until an admin re-enables it.
        case disabled(reason: String?)
        /// Stopped for good by its sink (stdout's reader has gone); pending rows stay pending.
        case stopped(reason: String)
        /// Returned after shutdown.
        case finished
    }

    /// The destination's configured name.
    public var destination: String
    /// What the lane is doing.
    public var state: State
    /// Entries marked delivered since the lane started.
    public var delivered: Int
    /// Failed attempts recorded since the lane started.
    public var failed: Int
    /// The last failure or stop reason, if any.
    public var lastError: String?

    /// Creates a status.
    public init(destination: String, state: State, delivered: Int = 0, failed: Int = 0, lastError: String? = nil) {
        self.destination = destination
        self.state = state
        self.delivered = delivered
        self.failed = failed
        self.lastError = lastError
    }
}
