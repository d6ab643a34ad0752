/// Intercom's error envelope: `{"type":"error.list","request_id":…,"errors":[{"code","message","field"?}]}`.
public struct IntercomErrorBody: Decodable, Sendable, Equatable {
    /// One entry of `errors`.
    public struct Entry: Decodable, Sendable, Equatable {
        public var code: String?
        public var message: String?
        public var field: String?

        public init(code: String?, message: String?, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            code = container.lenientString("code")
            message = container.lenientString("message")
            field = container.lenientString("field")
        }
    }

    public var type: String?
    public var requestID: String?
    public var errors: [Entry]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        type = container.lenientString("type")
        requestID = container.lenientString("request_id")
        errors = container.lenient([Entry].self, "errors") ?? []
    }
}
