import Foundation

/// An Intercom company (`type: "company"`).
public struct Company: IntercomRecord, Decodable, Equatable {
    /// Intercom's id.
    public var id: String
    /// Your own id for the company (the upsert key; cannot change later).
    public var companyID: String?
    public var name: String?
    public var plan: String?
    /// Unix seconds.
    public var createdAt: Int?
    /// Unix seconds.
    public var updatedAt: Int?
    /// Unix seconds.
    public var remoteCreatedAt: Int?
    public var userCount: Int?
    public var sessionCount: Int?
    /// The item's bytes as received; empty when decoded through `Decodable` rather than `init(raw:)`.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(Company.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        companyID = container.lenientString("company_id")
        name = container.lenientString("name")
        // `plan` is `{}` or `{"type":"plan","id":…,"name":…}` on a company, a string in requests.
        plan = container.lenientString("plan") ?? container.lenient(Named.self, "plan")?.name
        createdAt = container.lenientInt("created_at")
        updatedAt = container.lenientInt("updated_at")
        remoteCreatedAt = container.lenientInt("remote_created_at")
        userCount = container.lenientInt("user_count")
        sessionCount = container.lenientInt("session_count")
    }

    private struct Named: Decodable {
        var name: String?

        init(from decoder: any Decoder) throws {
            name = try decoder.container(keyedBy: AnyKey.self).lenientString("name")
        }
    }
}
