import Foundation

/// An Intercom ticket (`type: "ticket"`).
public struct Ticket: IntercomRecord, Decodable, Equatable {
    /// The id used by `GET /tickets/{id}`.
    public var id: String
    /// The number shown to people (not accepted by `GET /tickets/{id}`).
    public var ticketID: String?
    /// `Customer`, `Back-office` or `Tracker`.
    public var category: String?
    /// `ticket_state.category`, e.g. `submitted`.
    public var stateCategory: String?
    public var open: Bool?
    /// Unix seconds.
    public var createdAt: Int?
    /// Unix seconds.
    public var updatedAt: Int?
    /// The item's bytes as received; empty when decoded through `Decodable` rather than `init(raw:)`.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(Ticket.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        ticketID = container.lenientString("ticket_id")
        category = container.lenientString("category")
        stateCategory = container.lenient(State.self, "ticket_state")?.category
        open = container.lenientBool("open")
        createdAt = container.lenientInt("created_at")
        updatedAt = container.lenientInt("updated_at")
    }

    private struct State: Decodable {
        var category: String?

        init(from decoder: any Decoder) throws {
            category = try decoder.container(keyedBy: AnyKey.self).lenientString("category")
        }
    }
}
