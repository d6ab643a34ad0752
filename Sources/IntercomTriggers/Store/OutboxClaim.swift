/// A lane's claim on the rows it takes from a shared store's outbox (#16): the rows are its alone for `seconds` or
/// until it records their attempts, so the lanes of several daemons never deliver one row twice. A daemon that dies
/// leaves its claims to run out; the rows then go to whichever lane takes them next.
public struct OutboxClaim: Sendable, Hashable {
    /// The claiming daemon's member id.
    public var claimant: String
    /// How long the claim lasts (the database's clock).
    public var seconds: Int

    public init(claimant: String, seconds: Int) {
        self.claimant = claimant
        self.seconds = seconds
    }
}
