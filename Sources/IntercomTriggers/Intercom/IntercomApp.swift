/// The workspace an access token belongs to (`app` in `GET /me`).
public struct IntercomApp: Decodable, Sendable, Equatable {
    /// The workspace id (`app.id_code`), Intercom's `app_id`.
    public var idCode: String?
    public var name: String?
    /// IANA timezone; contact search filters dates by calendar day in this zone.
    public var timezone: String?
    /// `US`, `EU` or `AU`.
    public var region: String?
    /// Unix seconds.
    public var createdAt: Int?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        idCode = container.lenientString("id_code")
        name = container.lenientString("name")
        timezone = container.lenientString("timezone")
        region = container.lenientString("region")
        createdAt = container.lenientInt("created_at")
    }
}
