import Foundation

extension JSONScanner {
    /// The value of member `key` among `members`: the first one when a key repeats, as the models'
    /// `JSONDecoder` reads an item.
    public static func value(_ key: String, in members: [(key: String, value: Range<Int>)]) -> Range<Int>? {
        members.first { $0.key == key }?.value
    }

    /// The members of the value at `range` when it is an object, else nil.
    public func objectMembers(at range: Range<Int>) -> [(key: String, value: Range<Int>)]? {
        guard bytes[range.lowerBound] == UInt8(ascii: "{") else { return nil }
        return try? members(ofObjectAt: range)
    }

    /// The value at `range` read as the models' lenient strings do: a string, or a number written as text;
    /// nil for anything else.
    public func lenientString(at range: Range<Int>) -> String? {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "\""):
            return try? unescapedString(in: range)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = String(decoding: bytes[range], as: UTF8.self)
            if let integer = Int64(text) { return String(integer) }
            return Double(text).map { String($0) }
        default:
            return nil
        }
    }

    /// The value at `range` read as the models' lenient integers do: an integer, a finite number within
    /// `Int`'s range (truncated), or a string holding an integer; nil for anything else.
    public func lenientInt(at range: Range<Int>) -> Int? {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "\""):
            return (try? unescapedString(in: range)).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = String(decoding: bytes[range], as: UTF8.self)
            if let integer = Int(text) { return integer }
            // Any finite number in Int's range, truncated: JSONDecoder reads an integral one (`1e3`, `-9.2e18`) as
            // an Int and the models truncate the others.
            guard let value = Double(text), value.isFinite, value >= -0x1p63, value < 0x1p63 else { return nil }
            return Int(value)
        default:
            return nil
        }
    }
}
