/// A search filter operator, serialised as Intercom spells it.
public enum SearchOperator: String, Sendable, CaseIterable {
    case equals = "="
    case notEquals = "!="
    case `in` = "IN"
    case notIn = "NIN"
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case contains = "~"
    case notContains = "!~"
    case startsWith = "^"
    case endsWith = "$"

    /// `IN` and `NIN` take an array; every other operator a single value.
    var takesArray: Bool { self == .in || self == .notIn }
}
