import Foundation

/// Creates or updates a contact, prints it, then attaches it to `companyID` if one was given
/// (`POST /contacts/{id}/companies`).
public struct ContactWriteAction: ApiAction {
    public var method: HTTPMethod
    public var path: String
    public var body: Data
    public var companyID: String?

    public init(_ method: HTTPMethod, _ path: String, body: Data, companyID: String?) {
        self.method = method
        self.path = path
        self.body = body
        self.companyID = companyID
    }

    public func perform(in context: ActionContext) async throws {
        let response = try await context.client.send(method, path: path, body: body)
        context.printObject(response.body)
        try await Self.attach(Contact(raw: response.body).id, to: companyID, context)
    }

    /// Attaches contact `id` to the company with Intercom id `companyID` (nothing when nil).
    static func attach(_ id: String, to companyID: String?, _ context: ActionContext) async throws {
        guard let companyID else { return }
        var body = JSONBodyBuilder()
        body.string("id", companyID)
        do {
            _ = try await context.client.send(
                .post, path: RequestAction.path("/contacts", id, "/companies"), body: body.data)
        } catch {
            throw ActionFailure("contact \(id) was saved but not attached to company \(companyID)", underlying: error)
        }
    }
}
