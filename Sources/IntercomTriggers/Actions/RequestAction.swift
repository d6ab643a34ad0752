import Foundation

/// One request whose JSON answer is printed as is (get, create, update, delete, reply, …).
public struct RequestAction: ApiAction {
    public var method: HTTPMethod
    public var path: String
    public var query: [URLQueryItem]
    public var body: Data?

    public init(_ method: HTTPMethod, _ path: String, query: [URLQueryItem] = [], body: Data? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    /// `path` with `id` appended as one percent-encoded segment.
    public static func path(_ prefix: String, _ id: String, _ suffix: String = "") -> String {
        prefix + "/" + IntercomClient.segment(id) + suffix
    }

    public func perform(in context: ActionContext) async throws {
        let response = try await context.client.send(method, path: path, query: query, body: body)
        context.printObject(response.body)
    }
}
