import Foundation

/// Reads JSON bytes into a ``JSONValue`` in one pass, without throwing on the way: `Decodable` can only find a
/// value's type by trying each in turn, and every failed try is a thrown error — under Swift Testing each one
/// captures a backtrace, which made decoding a page of contacts in the simulator tests take seconds of CPU.
///
/// The values are those `JSONDecoder` gave: a number is an `int` when it is integral and fits (`5.0` and `1e2`
/// too), else a `double`; the first of duplicate keys wins; objects' keys are sorted (request bodies do not keep
/// their order). Anything that is not one valid JSON text — a lone surrogate, nesting deeper than 512 — is nil.
struct JSONValueParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// The deepest nesting accepted (`JSONDecoder`'s own limit).
    static let maximumDepth = 512

    private init(_ data: Data) {
        bytes = [UInt8](data)
    }

    /// The value `data` holds, or nil when it is not valid JSON.
    static func parse(_ data: Data) -> JSONValue? {
        var parser = JSONValueParser(data)
        parser.skipWhitespace()
        guard let value = parser.value() else { return nil }
        parser.skipWhitespace()
        // Not a ternary: `JSONValue` is `ExpressibleByNilLiteral`, so `? value : nil` would give `.null`.
        guard parser.index == parser.bytes.count else { return Optional.none }
        return value
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func consume(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func value() -> JSONValue? {
        switch current {
        case UInt8(ascii: "n"): return literal("null", .null)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "["): return nested { $0.array() }
        case UInt8(ascii: "{"): return nested { $0.object() }
        case .some(let byte) where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte): return number()
        default: return nil
        }
    }

    private mutating func literal(_ text: StaticString, _ value: JSONValue) -> JSONValue? {
        guard consume(text) else { return Optional.none }
        return value
    }

    private mutating func nested(_ body: (inout JSONValueParser) -> JSONValue?) -> JSONValue? {
        guard depth < Self.maximumDepth else { return nil }
        depth += 1
        defer { depth -= 1 }
        index += 1  // the opening bracket
        return body(&self)
    }

    private mutating func array() -> JSONValue? {
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            guard let element = value() else { return nil }
            elements.append(element)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: return nil
            }
        }
    }

    private mutating func object() -> JSONValue? {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            guard let member = value() else { return nil }
            if members[key] == nil { members[key] = member }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                var object = JSONObject()
                for key in members.keys.sorted() { object[key] = members[key] }
                return .object(object)
            default: return nil
            }
        }
    }

    /// A string at the opening quote, its escapes resolved; nil when it is not valid.
    private mutating func string() -> String? {
        index += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var start = index
        while true {
            guard let byte = current else { return nil }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                guard let run = String(validating: bytes[start..<index], as: UTF8.self) else { return nil }
                scalars.append(contentsOf: run.unicodeScalars)
                index += 1
                if byte == UInt8(ascii: "\"") { return String(scalars) }
                guard let escaped = escape() else { return nil }
                scalars.append(escaped)
                start = index
            } else if byte < 0x20 {
                return nil  // control characters must be escaped
            } else {
                index += 1
            }
        }
    }

    /// The character an escape after its backslash stands for.
    private mutating func escape() -> Unicode.Scalar? {
        guard let byte = current else { return nil }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let unit = hexUnit() else { return nil }
            if (0xD800..<0xDC00).contains(unit) {
                // A high surrogate must be followed by an escaped low one.
                guard consume("\\u"), let low = hexUnit(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(unit)  // nil for a lone low surrogate
        default: return nil
        }
    }

    private mutating func hexUnit() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { return nil }
            unit = unit << 4 | UInt32(digit)
            index += 1
        }
        return unit
    }

    /// A number by JSON's grammar: an `int` when it is integral and fits, else a `double`.
    private mutating func number() -> JSONValue? {
        let start = index
        var integral = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard digits(leadingZeroAlone: true) else { return nil }
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard digits(leadingZeroAlone: false) else { return nil }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(leadingZeroAlone: false) else { return nil }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let value = Double(text), value.isFinite else { return nil }
        if value.rounded() == value, abs(value) < 9.2e18 { return .int(Int(value)) }
        return .double(value)
    }

    /// One or more digits; with `leadingZeroAlone`, a leading 0 is the whole run (JSON has no `01`).
    private mutating func digits(leadingZeroAlone: Bool) -> Bool {
        let start = index
        while let byte = current, (0x30...0x39).contains(byte) {
            index += 1
            if leadingZeroAlone, index - start == 1, byte == 0x30 { break }
        }
        return index > start
    }
}
