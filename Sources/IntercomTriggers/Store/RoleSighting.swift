/// A contact's role as one sighting saw it: the classifier's memory for the next sighting.
public struct RoleSighting: Sendable, Hashable {
    /// `lead` or `user`.
    public var role: String
    /// The contact's `updated_at` at the sighting.
    public var version: Int

    public init(role: String, version: Int) {
        self.role = role
        self.version = version
    }
}
