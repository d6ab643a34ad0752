import Foundation

/// A response as the engine produces it; the HTTP layer adds rate-limit headers and faults.
public struct SimResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The JSON body bytes.
    public var body: Data
    /// Extra headers (e.g. `Link` on a 410 merged contact).
    public var headers: [(name: String, value: String)]

    public init(status: Int, body: Data, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// Intercom's error envelope: `{"type":"error.list","request_id":…,"errors":[{"code","message"}]}`.
    public static func error(status: Int, code: String, message: String, field: String? = nil) -> SimResponse {
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        let envelope: [String: Any] = [
            "type": "error.list",
            "request_id": UUID().uuidString.lowercased(),
            "errors": [error],
        ]
        // Only strings go in, so serialisation cannot fail.
        let body = (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])) ?? Data()
        return SimResponse(status: status, body: body)
    }
}
