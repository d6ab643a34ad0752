/// The Power Automate set: `api users upsert|get` and `api leads create|get|list`.
public enum PersonActions {
    /// Updates the user with `email`, else creates one.
    public static func upsertUser(email: String?, name: String? = nil, phone: String? = nil, companyID: String? = nil)
        throws(ActionUsageError) -> any ApiAction
    {
        try UserUpsertAction(email: email, name: name, phone: phone, companyID: companyID)
    }

    /// `GET /contacts/{id}` (a user or a lead).
    public static func get(id: String?) throws(ActionUsageError) -> any ApiAction {
        try ContactActions.get(id: id)
    }

    /// `POST /contacts` with role lead, then the company attach if given.
    public static func createLead(
        email: String?, name: String? = nil, phone: String? = nil, imageURL: String? = nil, companyID: String? = nil
    ) throws(ActionUsageError) -> any ApiAction {
        let fields = ContactFields(
            role: "lead", email: try ActionInput.required(email, "--email"), phone: phone, name: name,
            avatar: imageURL, companyID: companyID)
        return try ContactActions.create(fields)
    }

    /// `POST /contacts/search` for `role = lead`.
    public static func listLeads(_ paging: ListPaging) -> any ApiAction {
        ListAction.search(
            noun: "leads", path: "/contacts/search", itemsKey: "data",
            query: #"{"field":"role","operator":"=","value":"lead"}"#, sort: nil, paging: paging)
    }
}
