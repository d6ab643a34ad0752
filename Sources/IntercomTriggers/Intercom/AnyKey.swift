/// Coding keys built from any string, so models read Intercom's snake_case fields by name
/// (`container.lenientInt("created_at")`) without a `CodingKeys` enum per model.
struct AnyKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init(stringLiteral value: String) { stringValue = value }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
