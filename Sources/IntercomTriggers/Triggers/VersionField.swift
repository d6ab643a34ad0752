/// Which timestamp of an item is a topic's version: one event per distinct value of it.
public enum VersionField: String, Sendable, Codable {
    /// `created_at`: one event per item, ever.
    case createdAt = "created_at"
    /// `updated_at`: one event per distinct update seen.
    case updatedAt = "updated_at"
}
