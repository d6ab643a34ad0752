import Foundation

/// An Intercom admin (teammate). `GET /me` returns the token's admin with `app` filled in.
public struct Admin: IntercomRecord, Decodable, Equatable {
    public var id: String
    public var name: String?
    public var email: String?
    public var awayModeEnabled: Bool?
    public var hasInboxSeat: Bool?
    /// Only in `GET /me`: the workspace (id code, timezone, region).
    public var app: IntercomApp?
    /// The item's bytes as received; empty when decoded through `Decodable` rather than `init(raw:)`.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(Admin.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        name = container.lenientString("name")
        email = container.lenientString("email")
        awayModeEnabled = container.lenientBool("away_mode_enabled")
        hasInboxSeat = container.lenientBool("has_inbox_seat")
        app = container.lenient(IntercomApp.self, "app")
    }
}
