import Foundation

/// `api users upsert`: updates the user with this email if there is one, else creates one, then
/// attaches the company if given. Prints the saved contact.
public struct UserUpsertAction: ApiAction {
    public var email: String
    public var name: String?
    public var phone: String?
    public var companyID: String?

    public init(email: String?, name: String? = nil, phone: String? = nil, companyID: String? = nil)
        throws(ActionUsageError)
    {
        self.email = try ActionInput.required(email, "--email")
        self.name = name
        self.phone = phone
        self.companyID = companyID
    }

    public func perform(in context: ActionContext) async throws {
        var fields = JSONBodyBuilder()
        fields.string("name", name)
        fields.string("phone", phone)
        let saved: HTTPResponse
        if let id = try await existingUser(context.client) {
            saved = try await update(id, fields, context.client)
        } else {
            var create = fields
            create.string("role", "user")
            create.string("email", email)
            do {
                saved = try await context.client.send(.post, path: "/contacts", body: create.data)
            } catch IntercomError.api(409, _, let message?, _) where Self.conflictingID(message) != nil {
                // Created since the search (search lags writes): Intercom names the user it conflicts with.
                saved = try await update(Self.conflictingID(message) ?? "", fields, context.client)
            }
        }
        context.printObject(saved.body)
        try await ContactWriteAction.attach(try Contact(raw: saved.body).id, to: companyID, context)
    }

    /// The id of the user with this email, searched as `email = … AND role = user`.
    private func existingUser(_ client: IntercomClient) async throws -> String? {
        let query = SearchQuery.and([.filter("email", .equals, .string(email)), .filter("role", .equals, "user")])
        let page = try await client.searchContactsPage(SearchRequest(query: query, perPage: 1))
        return page.items.first?.id
    }

    private func update(_ id: String, _ fields: JSONBodyBuilder, _ client: IntercomClient) async throws
        -> HTTPResponse
    {
        try await client.send(.put, path: RequestAction.path("/contacts", id), body: fields.data)
    }

    /// The id in Intercom's "A contact matching those details already exists with id=…".
    static func conflictingID(_ message: String) -> String? {
        guard let range = message.range(of: "id=") else { return nil }
        let id = message[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }
}
