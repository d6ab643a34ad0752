import Foundation

/// Turns one `{field, operator, value}` into a test on a record's field value, checking the value's type.
enum FilterMatcher {
    static func test<Record>(
        kind: SearchFieldKind, op: String, value: JSONValue, field: String, schema: SearchSchema<Record>
    ) throws(APIError) -> (SearchFieldValue) -> Bool {
        switch kind {
        case .string, .words, .stringList, .tagList:
            if value.isNull {
                return { nullTest(op, isNull: isEmpty($0)) }
            }
            guard let text = value.stringValue else { throw APIError.typeMismatch(field, expected: "string") }
            return stringTest(op, text, words: kind == .words)
        case .integer:
            if value.isNull { return { nullTest(op, isNull: isEmpty($0)) } }
            guard let number = integer(value) else { throw APIError.typeMismatch(field, expected: "integer") }
            return numberTest(op, number)
        case .date:
            if value.isNull { return { nullTest(op, isNull: isEmpty($0)) } }
            guard let seconds = integer(value) else {
                throw APIError.typeMismatch(field, expected: "date (UNIX timestamp)")
            }
            guard schema.dayGranularDates else { return numberTest(op, seconds) }
            // Day granularity: the value is truncated to its workspace-local day first.
            let day = schema.dayBounds(seconds)
            return { fieldValue in
                guard case .int(let stored?) = fieldValue else { return false }
                switch op {
                case "=": return stored >= day.start && stored < day.end
                case ">": return stored >= day.end
                default: return stored < day.start  // "<", the only other date operator accepted here
                }
            }
        case .boolean:
            if value.isNull { return { nullTest(op, isNull: isEmpty($0)) } }
            let flag: Bool? =
                switch value {
                case .bool(let flag): flag
                case .string("true"): true
                case .string("false"): false
                default: nil
                }
            guard let flag else { throw APIError.typeMismatch(field, expected: "boolean") }
            return { fieldValue in
                guard case .bool(let stored) = fieldValue else { return false }
                return op == "=" ? stored == flag : stored != flag
            }
        case .custom:
            return customTest(op, value)
        }
    }

    private static func isEmpty(_ value: SearchFieldValue) -> Bool {
        switch value {
        case .string(let text): text == nil || text == ""
        case .strings(let list): list.isEmpty
        case .int(let number): number == nil
        case .bool(let flag): flag == nil
        case .json(let json): json == nil || json == .null
        }
    }

    private static func nullTest(_ op: String, isNull: Bool) -> Bool {
        op == "!=" || op == "NIN" ? !isNull : isNull
    }

    private static func integer(_ value: JSONValue) -> Int? {
        if let number = value.intValue { return number }
        if let text = value.stringValue { return Int(text) }
        return nil
    }

    private static func numberTest(_ op: String, _ number: Int) -> (SearchFieldValue) -> Bool {
        { fieldValue in
            guard case .int(let stored) = fieldValue else { return false }
            guard let stored else { return op == "!=" }
            switch op {
            case "=": return stored == number
            case "!=": return stored != number
            case "<": return stored < number
            case "<=": return stored <= number
            case ">": return stored > number
            default: return stored >= number
            }
        }
    }

    private static func stringTest(_ op: String, _ text: String, words: Bool) -> (SearchFieldValue) -> Bool {
        let needle = text.lowercased()
        return { fieldValue in
            let values: [String]
            switch fieldValue {
            case .string(let stored): values = stored.map { [$0] } ?? []
            case .strings(let list): values = list
            default: values = []
            }
            if words, op == "=" || op == "!=" {
                let found = values.contains { wordsOf($0).contains(needle) }
                return op == "=" ? found : !found
            }
            let lowered = values.map { $0.lowercased() }
            switch op {
            case "=": return lowered.contains(needle)
            case "!=": return !lowered.contains(needle)
            case "~": return lowered.contains { $0.contains(needle) }
            case "!~": return !lowered.contains { $0.contains(needle) }
            case "^": return lowered.contains { $0.hasPrefix(needle) }
            default: return lowered.contains { $0.hasSuffix(needle) }  // "$"
            }
        }
    }

    private static func wordsOf(_ text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }

    /// Custom attributes carry their own type: compare numbers as numbers and everything else as text.
    private static func customTest(_ op: String, _ value: JSONValue) -> (SearchFieldValue) -> Bool {
        { fieldValue in
            guard case .json(let stored) = fieldValue else { return false }
            let present = stored != nil && stored != .null
            if value.isNull { return op == "!=" ? present : !present }
            guard let stored, present else { return op == "!=" || op == "!~" }
            if let lhs = stored.intValue, let rhs = integer(value) {
                switch op {
                case "=": return lhs == rhs
                case "!=": return lhs != rhs
                case "<": return lhs < rhs
                case "<=": return lhs <= rhs
                case ">": return lhs > rhs
                case ">=": return lhs >= rhs
                default: break
                }
            }
            let lhs = (stored.stringValue ?? stored.jsonString).lowercased()
            let rhs = (value.stringValue ?? value.jsonString).lowercased()
            switch op {
            case "=": return lhs == rhs
            case "!=": return lhs != rhs
            case "~": return lhs.contains(rhs)
            case "!~": return !lhs.contains(rhs)
            case "^": return lhs.hasPrefix(rhs)
            case "$": return lhs.hasSuffix(rhs)
            default: return false
            }
        }
    }
}
