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

    /// Appends the value as JSON text to `bytes`.
    func appendJSON(to bytes: inout [UInt8]) {
        switch self {
        case .string(let value): JSONText.append(value, to: &bytes)
        case .integer(let value): bytes.append(contentsOf: String(value).utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                value.appendJSON(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }
}
