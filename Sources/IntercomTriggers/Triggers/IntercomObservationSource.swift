/// Reads a resource's stream through Intercom search, 150 items a page.
public struct IntercomObservationSource: ObservationSource {
    let client: IntercomClient

    public init(client: IntercomClient) {
        self.client = client
    }

    public func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage {
        let search = SearchRequest(query: request.query, sort: request.sort, startingAfter: cursor)
        switch request.resource {
        case .contacts:
            let page = try await client.searchContactsPage(search)
            return ObservationPage(
                items: page.items.compactMap(Observation.init(contact:)), nextCursor: page.nextCursor)
        case .conversations:
            let page = try await client.searchConversationsPage(search)
            return ObservationPage(
                items: page.items.compactMap(Observation.init(conversation:)), nextCursor: page.nextCursor)
        }
    }
}

extension Observation {
    /// A contact as the topic rules see it; nil without timestamps (Intercom always sends them).
    init?(contact: Contact) {
        guard let created = contact.createdAt, let updated = contact.updatedAt else { return nil }
        self.init(
            resource: .contacts, id: contact.id, createdAt: created, updatedAt: updated, role: contact.role,
            raw: contact.raw)
    }

    /// A conversation as the topic rules see it; nil without timestamps.
    init?(conversation: Conversation) {
        guard let created = conversation.createdAt, let updated = conversation.updatedAt else { return nil }
        self.init(
            resource: .conversations, id: conversation.id, createdAt: created, updatedAt: updated,
            authorType: conversation.source?.author?.type, raw: conversation.raw)
    }
}
