/// A rejected request: becomes Intercom's `error.list` envelope.
public struct APIError: Error, Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// Intercom's error `code`, e.g. `conflict`.
    public var code: String
    /// The human-readable `message`.
    public var message: String
    /// The offending `field`, when there is one.
    public var field: String?

    public init(status: Int = 400, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// The error envelope response.
    public var response: SimResponse { SimResponse.error(status: status, code: code, message: message, field: field) }

    static func notFound(_ message: String, code: String = "not_found") -> APIError {
        APIError(status: 404, code: code, message: message)
    }

    static func typeMismatch(_ field: String, expected: String) -> APIError {
        APIError(
            code: "type_mismatch", message: "Field '\(field)' expects \(expected) values", field: field)
    }

    static func unsupportedOperator(_ op: String, field: String, kind: String) -> APIError {
        APIError(
            code: "parameter_invalid", message: "Operator '\(op)' is not supported for field '\(field)' (\(kind))",
            field: field)
    }
}
