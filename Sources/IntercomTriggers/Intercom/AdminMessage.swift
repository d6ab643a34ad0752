import Foundation

/// The answer to `POST /messages` (an admin-initiated message, `type: "admin_message"`).
public struct AdminMessage: IntercomRecord, Decodable, Equatable {
    public var id: String
    /// `inapp`, `email`, …
    public var messageType: String?
    public var subject: String?
    public var body: String?
    /// Unix seconds.
    public var createdAt: Int?
    /// Set when the message created a conversation.
    public var conversationID: String?
    /// The item's bytes as received.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(AdminMessage.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        messageType = container.lenientString("message_type")
        subject = container.lenientString("subject")
        body = container.lenientString("body")
        createdAt = container.lenientInt("created_at")
        conversationID = container.lenientString("conversation_id")
    }
}
