/// A comparable sort value for sorts on fields without an index: missing values first, then numbers, then text.
enum SortKey: Comparable {
    case missing
    case number(Int)
    case text(String)

    init(_ value: SearchFieldValue) {
        switch value {
        case .int(let number?): self = .number(number)
        case .bool(let flag?): self = .number(flag ? 1 : 0)
        case .string(let text?): self = .text(text)
        case .strings(let list): self = list.first.map { .text($0) } ?? .missing
        case .json(let json?):
            if let number = json.intValue {
                self = .number(number)
            } else if let text = json.stringValue {
                self = .text(text)
            } else {
                self = .missing
            }
        default: self = .missing
        }
    }

    /// As stored in a cursor: dates in milliseconds, like Intercom's cursors.
    func json(isDate: Bool) -> JSONValue {
        switch self {
        case .missing: .null
        case .number(let number): .int(isDate ? number * 1000 : number)
        case .text(let text): .string(text)
        }
    }

    init?(cursor json: JSONValue, isDate: Bool) {
        switch json {
        case .null: self = .missing
        case .string(let text): self = .text(text)
        default:
            guard let number = json.intValue else { return nil }
            // Floor division keeps a millisecond cursor inside its second.
            self = .number(isDate ? Int((Double(number) / 1000).rounded(.down)) : number)
        }
    }
}
