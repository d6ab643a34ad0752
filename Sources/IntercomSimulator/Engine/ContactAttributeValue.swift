import Foundation

/// A JSON value for an attribute set through the Swift API (``SimulatedWorkspace/setContactAttributes(id:_:updatedAt:indexLag:)``):
/// `"pro"`, `42`, `true`, `nil` (JSON `null`), `["a", "b"]`, or any JSON text through ``init(json:)``.
public struct ContactAttributeValue: Sendable, Equatable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    /// The value written as JSON text, e.g. `{"seats":3}`; `nil` when the text is not JSON.
    public init?(json: String) {
        guard let value = JSONValue.parse(Data(json.utf8)) else { return nil }
        self.value = value
    }

    /// A string.
    public static func string(_ value: String) -> ContactAttributeValue { .init(.string(value)) }
    /// An integer (a Unix time for `*_at` attributes).
    public static func int(_ value: Int) -> ContactAttributeValue { .init(.int(value)) }

    /// The value as compact JSON text.
    public var jsonText: String { value.jsonString }
}

extension ContactAttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self.value = .string(value) }
    public init(integerLiteral value: Int) { self.value = .int(value) }
    public init(booleanLiteral value: Bool) { self.value = .bool(value) }
    public init(floatLiteral value: Double) { self.value = .double(value) }
    public init(nilLiteral: ()) { value = .null }
    public init(arrayLiteral elements: ContactAttributeValue...) { value = .array(elements.map(\.value)) }
}
