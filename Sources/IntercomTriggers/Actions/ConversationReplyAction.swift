import Foundation

/// An admin's comment or note on a conversation. Without an admin id it replies as the token's
/// admin (`GET /me`), as Intercom's own integrations do.
public struct ConversationReplyAction: ApiAction {
    public var id: String
    /// `comment` or `note`.
    public var messageType: String
    public var body: String
    public var adminID: String?
    public var attachmentURLs: [String]
    public var createdAt: Int?

    public init(
        id: String, messageType: String, body: String, adminID: String?, attachmentURLs: [String], createdAt: Int?
    ) {
        self.id = id
        self.messageType = messageType
        self.body = body
        self.adminID = adminID
        self.attachmentURLs = attachmentURLs
        self.createdAt = createdAt
    }

    public func perform(in context: ActionContext) async throws {
        var adminID = self.adminID
        if adminID == nil { adminID = try await context.client.me().id }
        var request = JSONBodyBuilder()
        request.string("message_type", messageType)
        request.string("type", "admin")
        request.string("admin_id", adminID)
        request.string("body", body)
        if !attachmentURLs.isEmpty {
            request.raw("attachment_urls", "[" + attachmentURLs.map(JSONText.string).joined(separator: ",") + "]")
        }
        request.int("created_at", createdAt)
        try await RequestAction(.post, RequestAction.path("/conversations", id, "/reply"), body: request.data)
            .perform(in: context)
    }
}
