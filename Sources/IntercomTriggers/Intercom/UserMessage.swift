import Foundation

/// The answer to `POST /conversations` (a contact-initiated message, `type: "user_message"`).
public struct UserMessage: IntercomRecord, Decodable, Equatable {
    public var id: String
    public var messageType: String?
    public var body: String?
    /// Unix seconds.
    public var createdAt: Int?
    /// The conversation the message started.
    public var conversationID: String?
    /// The item's bytes as received.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(UserMessage.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        messageType = container.lenientString("message_type")
        body = container.lenientString("body")
        createdAt = container.lenientInt("created_at")
        conversationID = container.lenientString("conversation_id")
    }
}
