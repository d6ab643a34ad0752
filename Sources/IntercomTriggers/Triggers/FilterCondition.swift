import Foundation

/// One `[[destination.when]]`: a dotted attribute path of the item, an operator and, except for `changed`, a
/// value. Rules (docs/decisions.md, "Filters"): a path through an array stands for each element's value; a
/// value's test holds when it holds for one of the field's values, a negation (`!=`, `NIN`, `!~`) when its
/// positive operator holds for none; an absent attribute and `null` have no value; strings compare ignoring
/// case; numbers compare as numbers, a string holding a decimal number too when the other side is a number.
///
/// The configuration refuses a value that does not suit the operator; a condition built in code with one holds
/// for no value (its negation for every one).
public struct FilterCondition: Sendable, Equatable, CustomStringConvertible {
    /// `custom_attributes.plan`, `source.author.type`.
    public let field: String
    public let `operator`: FilterOperator
    /// Nil for `changed`.
    public let value: FilterValue?

    /// ``field`` split at its dots.
    let segments: [String]
    /// The value as the tests compare it: one needle, several for `IN` and `NIN`.
    private let needles: [Needle]

    public init(field: String, operator: FilterOperator, value: FilterValue? = nil) {
        self.field = field
        self.operator = `operator`
        self.value = value
        segments = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch value {
        case .list(let values): needles = values.compactMap(Needle.init)
        case let value?: needles = Needle(value).map { [$0] } ?? []
        case nil: needles = []
        }
    }

    public static func == (lhs: FilterCondition, rhs: FilterCondition) -> Bool {
        lhs.field == rhs.field && lhs.operator == rhs.operator && lhs.value == rhs.value
    }

    /// `custom_attributes.plan = "pro"`, `custom_attributes.plan changed`.
    public var description: String {
        guard let value else { return "\(field) \(self.operator.rawValue)" }
        return "\(field) \(self.operator.rawValue) \(value)"
    }

    // MARK: Comparing

    /// Whether the test holds for the field's values (the ranges of their JSON text in `scanner`).
    func holds(for values: [Range<Int>], in scanner: JSONScanner) -> Bool {
        if let positive = self.operator.denied {
            return !values.contains { test(positive, scanner.scalar(at: $0)) }
        }
        return values.contains { test(self.operator, scanner.scalar(at: $0)) }
    }

    private func test(_ op: FilterOperator, _ scalar: JSONScanner.Scalar?) -> Bool {
        guard let scalar else { return false }
        switch op {
        case .equals, .in:
            return needles.contains { $0.equals(scalar) }
        case .lessThan, .greaterThan:
            guard let order = needles.first?.order(of: scalar) else { return false }
            return op == .lessThan ? order < 0 : order > 0
        case .contains, .startsWith, .endsWith:
            guard case .text(let text) = scalar, case .text(let folded, _)? = needles.first else { return false }
            let haystack = text.lowercased()
            switch op {
            case .contains: return haystack.contains(folded)
            case .startsWith: return haystack.hasPrefix(folded)
            default: return haystack.hasSuffix(folded)
            }
        case .notEquals, .notIn, .notContains, .changed:
            return false  // negations are tested through the operator they deny; `changed` reads the changes
        }
    }

    /// One value of the condition, prepared once: strings folded to lower case, numbers parsed.
    private enum Needle: Sendable {
        case text(folded: String, number: JSONScanner.Number?)
        case number(JSONScanner.Number)
        case bool(Bool)

        init?(_ value: FilterValue) {
            switch value {
            case .string(let text): self = .text(folded: text.lowercased(), number: JSONScanner.Number(text))
            case .integer(let number): self = .number(JSONScanner.Number(integer: number))
            case .float(let number): self = .number(JSONScanner.Number(double: number))
            case .bool(let flag): self = .bool(flag)
            case .list: return nil
            }
        }

        func equals(_ scalar: JSONScanner.Scalar) -> Bool {
            switch (self, scalar) {
            case (.text(let folded, _), .text(let text)): text.lowercased() == folded
            case (.bool(let flag), .bool(let other)): flag == other
            default: order(of: scalar) == 0
            }
        }

        /// How `scalar` compares with the needle as numbers (negative: smaller), nil unless both are numbers —
        /// a string holding a decimal number counts as one when the other side is a number.
        func order(of scalar: JSONScanner.Scalar) -> Int? {
            switch (self, scalar) {
            case (.number(let needle), .number(let number)): number.order(comparedWith: needle)
            case (.number(let needle), .text(let text)): JSONScanner.Number(text)?.order(comparedWith: needle)
            case (.text(_, let needle?), .number(let number)): number.order(comparedWith: needle)
            default: nil
            }
        }
    }
}
