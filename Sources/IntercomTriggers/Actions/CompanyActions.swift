/// `api companies …`: upsert, get and list.
public enum CompanyActions {
    /// `POST /companies` (creates or updates by `company_id`).
    public static func upsert(_ fields: CompanyFields) throws(ActionUsageError) -> any ApiAction {
        RequestAction(.post, "/companies", body: try fields.body())
    }

    /// `GET /companies/{id}` (Intercom's id).
    public static func get(id: String?) throws(ActionUsageError) -> any ApiAction {
        RequestAction(.get, RequestAction.path("/companies", try ActionInput.required(id, "ID")))
    }

    /// One page of `POST /companies/list`, or every company (see `CompanyListAction`).
    public static func list(page: Int? = nil, perPage: Int? = nil, all: Bool = false) throws(ActionUsageError)
        -> any ApiAction
    {
        try CompanyListAction(page: page, perPage: perPage, all: all)
    }
}
