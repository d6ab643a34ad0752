import Foundation

/// `api conversations …`: get, list, search and reply.
public enum ConversationActions {
    /// `GET /conversations/{id}`, optionally as plain text and with translations.
    public static func get(id: String?, plaintext: Bool = false, includeTranslations: Bool = false)
        throws(ActionUsageError) -> any ApiAction
    {
        var query: [URLQueryItem] = []
        if plaintext { query.append(URLQueryItem(name: "display_as", value: "plaintext")) }
        if includeTranslations { query.append(URLQueryItem(name: "include_translations", value: "true")) }
        return RequestAction(
            .get, RequestAction.path("/conversations", try ActionInput.required(id, "ID")), query: query)
    }

    /// `GET /conversations`, optionally sorted (`--sort F --order asc|desc`).
    public static func list(sort: String? = nil, order: String? = nil, _ paging: ListPaging) throws(ActionUsageError)
        -> any ApiAction
    {
        var query: [URLQueryItem] = []
        if let sort { query.append(URLQueryItem(name: "sort", value: sort)) }
        if let order {
            guard sort != nil else { throw ActionUsageError("--order needs --sort") }
            query.append(URLQueryItem(name: "order", value: try ActionInput.oneOf(order, ["asc", "desc"], "--order")))
        }
        return ListAction.get(
            noun: "conversations", path: "/conversations", itemsKey: "conversations", paging: paging, query: query)
    }

    /// `POST /conversations/search` with a query given as JSON.
    public static func search(
        query: String?, sortField: String? = nil, sortOrder: String? = nil, _ paging: ListPaging
    ) throws(ActionUsageError) -> any ApiAction {
        ListAction.search(
            noun: "conversations", path: "/conversations/search", itemsKey: "conversations",
            query: try ActionInput.json(try ActionInput.required(query, "--query"), "--query"),
            sort: try ContactActions.searchSort(field: sortField, order: sortOrder), paging: paging)
    }

    /// `POST /conversations/{id}/reply` as an admin (the token's admin unless `--admin-id`).
    public static func reply(
        id: String?, type: String?, body: String?, adminID: String? = nil, attachmentURLs: [String] = [],
        createdAt: Int? = nil
    ) throws(ActionUsageError) -> any ApiAction {
        ConversationReplyAction(
            id: try ActionInput.required(id, "ID"),
            messageType: try ActionInput.oneOf(
                try ActionInput.required(type, "--type"), ["comment", "note"], "--type"),
            body: try ActionInput.required(body, "--body"), adminID: adminID, attachmentURLs: attachmentURLs,
            createdAt: createdAt)
    }
}
