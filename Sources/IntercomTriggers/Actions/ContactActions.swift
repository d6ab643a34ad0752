/// `api contacts …`: create, get, update, delete, list and search.
public enum ContactActions {
    /// `POST /contacts` (role lead unless told), then the company attach if `--company-id` was given.
    public static func create(_ fields: ContactFields) throws(ActionUsageError) -> any ApiAction {
        ContactWriteAction(.post, "/contacts", body: try fields.body(defaultRole: "lead"), companyID: fields.companyID)
    }

    /// `GET /contacts/{id}`.
    public static func get(id: String?) throws(ActionUsageError) -> any ApiAction {
        RequestAction(.get, RequestAction.path("/contacts", try ActionInput.required(id, "ID")))
    }

    /// `PUT /contacts/{id}` with the given fields.
    public static func update(id: String?, _ fields: ContactFields) throws(ActionUsageError) -> any ApiAction {
        let id = try ActionInput.required(id, "ID")
        return ContactWriteAction(
            .put, RequestAction.path("/contacts", id), body: try fields.body(defaultRole: nil),
            companyID: fields.companyID)
    }

    /// `DELETE /contacts/{id}`.
    public static func delete(id: String?) throws(ActionUsageError) -> any ApiAction {
        RequestAction(.delete, RequestAction.path("/contacts", try ActionInput.required(id, "ID")))
    }

    /// `GET /contacts`, one page or all.
    public static func list(_ paging: ListPaging) -> any ApiAction {
        ListAction.get(noun: "contacts", path: "/contacts", itemsKey: "data", paging: paging)
    }

    /// `POST /contacts/search` with a query given as JSON.
    public static func search(
        query: String?, sortField: String? = nil, sortOrder: String? = nil, _ paging: ListPaging
    ) throws(ActionUsageError) -> any ApiAction {
        ListAction.search(
            noun: "contacts", path: "/contacts/search", itemsKey: "data",
            query: try ActionInput.json(try ActionInput.required(query, "--query"), "--query"),
            sort: try searchSort(field: sortField, order: sortOrder), paging: paging)
    }

    /// `--sort-field` with `--sort-order` (ascending unless told).
    static func searchSort(field: String?, order: String?) throws(ActionUsageError) -> (field: String, order: String)? {
        guard let field else {
            if order != nil { throw ActionUsageError("--sort-order needs --sort-field") }
            return nil
        }
        return (field, try ActionInput.oneOf(order ?? "ascending", ["ascending", "descending"], "--sort-order"))
    }
}
