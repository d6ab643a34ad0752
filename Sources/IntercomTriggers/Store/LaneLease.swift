/// Which daemon delivers an ordered destination of a shared store (#16), as `status` shows it.
public struct LaneLease: Sendable, Hashable, Codable {
    /// The destination.
    public var destination: String
    /// The member id of the daemon holding it; nil when released.
    public var owner: String?
    /// Whether it had run out when read.
    public var expired: Bool

    public init(destination: String, owner: String?, expired: Bool) {
        self.destination = destination
        self.owner = owner
        self.expired = expired
    }
}
