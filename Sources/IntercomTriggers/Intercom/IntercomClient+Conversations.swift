import Foundation

extension IntercomClient {
    /// `POST /conversations`: a contact starts a conversation (`{"from":{"type":"user","id":…},"body":…}`).
    /// Intercom answers with the message, whose `conversationID` names the new conversation.
    public func createConversation(_ body: Data) async throws -> UserMessage {
        try await perform(.post, "/conversations", body: body) { try UserMessage(raw: $0.body) }
    }

    /// `GET /conversations/{id}` (with its parts).
    public func getConversation(id: String) async throws -> Conversation {
        try await perform(.get, "/conversations/\(Self.segment(id))") { try Conversation(raw: $0.body) }
    }

    /// `POST /conversations/{id}/reply` with a contact or admin reply body; returns the conversation.
    public func replyToConversation(id: String, _ body: Data) async throws -> Conversation {
        try await perform(.post, "/conversations/\(Self.segment(id))/reply", body: body) {
            try Conversation(raw: $0.body)
        }
    }

    /// `GET /conversations?per_page=&starting_after=`, page after page.
    public func listConversations(perPage: Int = 150) -> some AsyncSequence<Page<Conversation>, any Error> {
        PageSequence { cursor in
            try await self.listPage(path: "/conversations", itemsKey: "conversations", perPage: perPage, cursor: cursor)
        }
    }

    /// `POST /conversations/search`, following `pages.next.starting_after` from `request.startingAfter`.
    public func searchConversations(_ request: SearchRequest) -> some AsyncSequence<Page<Conversation>, any Error> {
        PageSequence { cursor in
            try await self.searchConversationsPage(cursor.map { request.startingAfter($0) } ?? request)
        }
    }

    /// `POST /conversations/search` for `query`, every page (150 per page unless told otherwise).
    public func searchConversations(
        _ query: SearchQuery, sort: SearchSort? = nil, perPage: Int = SearchRequest.maximumPerPage
    ) -> some AsyncSequence<Page<Conversation>, any Error> {
        searchConversations(SearchRequest(query: query, sort: sort, perPage: perPage))
    }

    /// One page of `POST /conversations/search`.
    public func searchConversationsPage(_ request: SearchRequest) async throws -> Page<Conversation> {
        try await searchPage("/conversations/search", request, itemsKey: "conversations", Page.init)
    }
}
