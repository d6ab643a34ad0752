/// How a ``FilterCondition`` tests its field: Intercom's search operators, spelled as Intercom spells them, and
/// `changed`. What each does with strings, numbers, lists and absent values: docs/decisions.md, "Filters".
public enum FilterOperator: String, Sendable, CaseIterable {
    case equals = "="
    case notEquals = "!="
    case `in` = "IN"
    case notIn = "NIN"
    case lessThan = "<"
    case greaterThan = ">"
    case contains = "~"
    case notContains = "!~"
    case startsWith = "^"
    case endsWith = "$"
    /// The field is listed in the event's changes (at, under or above its path).
    case changed

    /// What the operator's `value` must be.
    public enum Operand: Sendable {
        /// A string, number or boolean.
        case scalar
        /// A non-empty list of strings, numbers or booleans.
        case list
        /// A number.
        case number
        /// A non-empty string.
        case text
        /// No value.
        case none
    }

    public var operand: Operand {
        switch self {
        case .equals, .notEquals: .scalar
        case .in, .notIn: .list
        case .lessThan, .greaterThan: .number
        case .contains, .notContains, .startsWith, .endsWith: .text
        case .changed: .none
        }
    }

    /// The operator a negation denies (`!=` denies `=`), nil for the others: a negation holds when its
    /// positive operator holds for none of the field's values, so it holds on an absent field.
    var denied: FilterOperator? {
        switch self {
        case .notEquals: .equals
        case .notIn: .in
        case .notContains: .contains
        default: nil
        }
    }
}
