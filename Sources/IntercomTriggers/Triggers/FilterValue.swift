/// The `value` a ``FilterCondition`` compares its field with: what TOML can write (there is no null).
public enum FilterValue: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// For `IN` and `NIN`.
    case list([FilterValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: FilterValue...) { self = .list(elements) }

    /// The value as TOML writes it: `"pro"`, `42`, `1.5`, `true`, `["user", "lead"]`.
    public var description: String {
        switch self {
        case .string(let text): DaemonConfiguration.quoted(text)
        case .integer(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): String(flag)
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
