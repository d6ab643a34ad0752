import Foundation

/// An Intercom contact (`type: "contact"`), a user or a lead.
public struct Contact: IntercomRecord, Decodable, Equatable {
    /// 24-hex-character id.
    public var id: String
    /// `"user"` or `"lead"`.
    public var role: String?
    public var email: String?
    public var externalID: String?
    public var name: String?
    public var phone: String?
    public var workspaceID: String?
    /// A string in 2.16, an integer in 2.15; always read as a string.
    public var ownerID: String?
    /// Unix seconds.
    public var createdAt: Int?
    /// Unix seconds.
    public var updatedAt: Int?
    /// Unix seconds.
    public var signedUpAt: Int?
    /// Unix seconds.
    public var lastSeenAt: Int?
    /// The item's bytes as received; empty when decoded through `Decodable` rather than `init(raw:)`.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(Contact.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        role = container.lenientString("role")
        email = container.lenientString("email")
        externalID = container.lenientString("external_id")
        name = container.lenientString("name")
        phone = container.lenientString("phone")
        workspaceID = container.lenientString("workspace_id")
        ownerID = container.lenientString("owner_id")
        createdAt = container.lenientInt("created_at")
        updatedAt = container.lenientInt("updated_at")
        signedUpAt = container.lenientInt("signed_up_at")
        lastSeenAt = container.lenientInt("last_seen_at")
    }
}
