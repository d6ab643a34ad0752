/// A filter value: a string, integer, boolean, null, or an array of values (for `IN`/`NIN`).
public enum SearchValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    case string(String)
    case integer(Int)
    case bool(Bool)
    case null
    case array([SearchValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: SearchValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }

    /// The value as JSON text.
    var json: String {
        switch self {
        case .string(let value): JSONText.string(value)
        case .integer(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .array(let values): "[" + values.map(\.json).joined(separator: ",") + "]"
        }
    }
}
