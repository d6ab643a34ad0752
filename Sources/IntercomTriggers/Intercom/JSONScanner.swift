import Foundation

/// A byte-level JSON scanner that validates a document and reports the byte ranges of values,
/// without building a tree. Events must carry Intercom's items verbatim (same key order, same
/// number formatting), so items are sliced out of the page by byte range instead of re-encoded.
public struct JSONScanner: Sendable {
    /// Why a document is not valid JSON, with the byte offset where scanning stopped.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Byte offset of the problem.
        public var offset: Int
        /// What was wrong.
        public var reason: String

        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// The document's bytes.
    public let bytes: [UInt8]

    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    static let maximumDepth = 512

    public init(_ data: Data) { bytes = [UInt8](data) }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Validates the whole document (one value, optional surrounding whitespace) and returns the
    /// range of the top-level value.
    public func validate() throws(SyntaxError) -> Range<Int> {
        let start = skipWhitespace(from: 0)
        let end = try skipValue(from: start, depth: 0)
        let trailing = skipWhitespace(from: end)
        guard trailing == bytes.count else { throw SyntaxError(offset: trailing, reason: "trailing characters") }
        return start..<end
    }

    /// The members of the object whose value occupies `range`, in document order, with each
    /// member's value range. Keys are unescaped.
    public func members(ofObjectAt range: Range<Int>) throws(SyntaxError) -> [(key: String, value: Range<Int>)] {
        try members(ofObjectFrom: range.lowerBound).members
    }

    /// The members of the document's one top-level object, the whole document validated in the same pass
    /// (``validate()`` and ``members(ofObjectAt:)`` in one).
    public func documentMembers() throws(SyntaxError) -> [(key: String, value: Range<Int>)] {
        let (members, end) = try members(ofObjectFrom: skipWhitespace(from: 0))
        let trailing = skipWhitespace(from: end)
        guard trailing == bytes.count else { throw SyntaxError(offset: trailing, reason: "trailing characters") }
        return members
    }

    /// The members of the object starting at `start`, and the index just past it.
    private func members(
        ofObjectFrom start: Int
    ) throws(SyntaxError) -> (members: [(key: String, value: Range<Int>)], end: Int) {
        var result: [(key: String, value: Range<Int>)] = []
        let end = try forEachMember(ofObjectFrom: start) { key, value throws(SyntaxError) in
            result.append((try unescapedString(in: key), value))
            return true
        }
        return (result, end)
    }

    /// Walks the members of the object starting at `start`, giving `body` each key's range (quotes included) and
    /// its value's range until `body` returns false. Returns the index just past the object, or just past the value
    /// where `body` stopped (the rest of the object is then not scanned).
    private func forEachMember(
        ofObjectFrom start: Int, _ body: (_ key: Range<Int>, _ value: Range<Int>) throws(SyntaxError) -> Bool
    ) throws(SyntaxError) -> Int {
        var index = start
        try expect(UInt8(ascii: "{"), at: index)
        index = skipWhitespace(from: index + 1)
        if byte(at: index) == UInt8(ascii: "}") { return index + 1 }
        while true {
            let key = index..<(try skipString(from: index))
            index = skipWhitespace(from: key.upperBound)
            try expect(UInt8(ascii: ":"), at: index)
            let valueStart = skipWhitespace(from: index + 1)
            let valueEnd = try skipValue(from: valueStart, depth: 1)
            guard try body(key, valueStart..<valueEnd) else { return valueEnd }
            index = skipWhitespace(from: valueEnd)
            switch byte(at: index) {
            case UInt8(ascii: ","): index = skipWhitespace(from: index + 1)
            case UInt8(ascii: "}"): return index + 1
            default: throw SyntaxError(offset: index, reason: "expected ',' or '}' in object")
            }
        }
    }

    /// The byte ranges of the elements of the array whose value occupies `range`; nil when it has more than
    /// `limit` (found without listing the rest).
    public func elements(ofArrayAt range: Range<Int>, limit: Int = .max) throws(SyntaxError) -> [Range<Int>]? {
        var index = range.lowerBound
        try expect(UInt8(ascii: "["), at: index)
        index = skipWhitespace(from: index + 1)
        var result: [Range<Int>] = []
        if byte(at: index) == UInt8(ascii: "]") { return result }
        while true {
            let end = try skipValue(from: index, depth: 1)
            guard result.count < limit else { return nil }
            result.append(index..<end)
            index = skipWhitespace(from: end)
            switch byte(at: index) {
            case UInt8(ascii: ","): index = skipWhitespace(from: index + 1)
            case UInt8(ascii: "]"): return result
            default: throw SyntaxError(offset: index, reason: "expected ',' or ']' in array")
            }
        }
    }

    /// The value ranges of the members named `keys` in the object at `range` (the first member of each name, as
    /// ``value(_:in:)`` reads them; nil for a key the object lacks), without making a string of every key; nil when
    /// the value is not an object. Scanning stops once every key is found, so the object must lie in a document
    /// this scanner validated (``validate()``, ``documentMembers()``): what follows is not checked again.
    public func values(of keys: [String], inValidatedObjectAt range: Range<Int>) -> [Range<Int>?]? {
        guard byte(at: range.lowerBound) == UInt8(ascii: "{") else { return nil }
        var found = [Range<Int>?](repeating: nil, count: keys.count)
        var missing = keys.count
        do {
            _ = try forEachMember(ofObjectFrom: range.lowerBound) { key, value throws(SyntaxError) in
                if let slot = try slot(ofKeyAt: key, among: keys), found[slot] == nil {
                    found[slot] = value
                    missing -= 1
                }
                return missing > 0
            }
            return found
        } catch {
            return nil
        }
    }

    /// Which of `keys` the string at `range` (quotes included) spells, comparing bytes unless it holds an escape.
    private func slot(ofKeyAt range: Range<Int>, among keys: [String]) throws(SyntaxError) -> Int? {
        let inner = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
        if inner.contains(UInt8(ascii: "\\")) {
            let key = try unescapedString(in: range)
            return keys.firstIndex(of: key)
        }
        return keys.firstIndex { $0.utf8.elementsEqual(inner) }
    }

    /// The bytes of `range` as `Data`.
    public func slice(_ range: Range<Int>) -> Data { Data(bytes[range]) }

    /// The bytes of `range` as well-formed UTF-8, and whether any had to be replaced. The scan lets bytes that are
    /// not UTF-8 through inside strings (they cannot end a string or a value); JSON text exchanged between systems
    /// must be UTF-8 (RFC 8259 §8.1), and a receiver's parser may refuse anything else, so each such sequence
    /// becomes U+FFFD here, as Swift's `String(decoding:as:)` replaces it. Everything else is left byte for byte.
    public func wellFormedSlice(_ range: Range<Int>) -> (data: Data, replaced: Bool) {
        if isUTF8(range) { return (slice(range), false) }
        return (Data(String(decoding: bytes[range], as: UTF8.self).utf8), true)
    }

    /// Whether `range` is well-formed UTF-8. Every byte of a multi-byte sequence is 0x80 or above, so the range is
    /// well-formed exactly when each run of such bytes is: ASCII is skipped eight bytes at a time and only the runs
    /// are validated (validating all of an item took 0.5–0.8 ns a byte; most of a page is ASCII).
    private func isUTF8(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            index = bytes.withUnsafeBytes { raw in
                var ascii = index
                while ascii + 8 <= range.upperBound,
                    raw.loadUnaligned(fromByteOffset: ascii, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    ascii += 8
                }
                while ascii < range.upperBound, raw[ascii] < 0x80 { ascii += 1 }
                return ascii
            }
            guard index < range.upperBound else { break }
            var end = index + 1
            while end < range.upperBound, bytes[end] >= 0x80 { end += 1 }
            guard (try? UTF8Span(validating: bytes.span.extracting(index..<end))) != nil else { return false }
            index = end
        }
        return true
    }

    /// Whether the value at `range` is the literal `null`.
    public func isNull(_ range: Range<Int>) -> Bool {
        range.count == 4 && byte(at: range.lowerBound) == UInt8(ascii: "n")
    }

    // MARK: - Scanning

    private func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func expect(_ expected: UInt8, at index: Int) throws(SyntaxError) {
        guard byte(at: index) == expected else {
            throw SyntaxError(offset: index, reason: "expected '\(Character(Unicode.Scalar(expected)))'")
        }
    }

    private func skipWhitespace(from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// Returns the index just past the value starting at `start`.
    private func skipValue(from start: Int, depth: Int) throws(SyntaxError) -> Int {
        guard depth <= Self.maximumDepth else { throw SyntaxError(offset: start, reason: "nesting too deep") }
        guard let first = byte(at: start) else { throw SyntaxError(offset: start, reason: "unexpected end of input") }
        switch first {
        case UInt8(ascii: "{"):
            return try skipContainer(from: start, close: UInt8(ascii: "}"), depth: depth, keyed: true)
        case UInt8(ascii: "["):
            return try skipContainer(from: start, close: UInt8(ascii: "]"), depth: depth, keyed: false)
        case UInt8(ascii: "\""): return try skipString(from: start)
        case UInt8(ascii: "t"): return try skipLiteral("true", from: start)
        case UInt8(ascii: "f"): return try skipLiteral("false", from: start)
        case UInt8(ascii: "n"): return try skipLiteral("null", from: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try skipNumber(from: start)
        default: throw SyntaxError(offset: start, reason: "unexpected character")
        }
    }

    private func skipContainer(from start: Int, close: UInt8, depth: Int, keyed: Bool) throws(SyntaxError) -> Int {
        var index = skipWhitespace(from: start + 1)
        if byte(at: index) == close { return index + 1 }
        while true {
            if keyed {
                guard byte(at: index) == UInt8(ascii: "\"") else {
                    throw SyntaxError(offset: index, reason: "expected a string key")
                }
                index = skipWhitespace(from: try skipString(from: index))
                try expect(UInt8(ascii: ":"), at: index)
                index = skipWhitespace(from: index + 1)
            }
            index = skipWhitespace(from: try skipValue(from: index, depth: depth + 1))
            guard let next = byte(at: index) else {
                throw SyntaxError(offset: index, reason: "unexpected end of input")
            }
            if next == close { return index + 1 }
            guard next == UInt8(ascii: ",") else { throw SyntaxError(offset: index, reason: "expected ',' or a close") }
            index = skipWhitespace(from: index + 1)
        }
    }

    private func skipString(from start: Int) throws(SyntaxError) -> Int {
        try expect(UInt8(ascii: "\""), at: start)
        var index = start + 1
        while index < bytes.count {
            // The plain run up to the next quote, backslash or control byte first, unchecked: most of a page is
            // string bytes.
            index = bytes.withUnsafeBufferPointer { buffer in
                var plain = index
                while plain < buffer.count {
                    let byte = buffer[plain]
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                    plain += 1
                }
                return plain
            }
            guard index < bytes.count else { break }
            let current = bytes[index]
            switch current {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                guard let escaped = byte(at: index + 1) else {
                    throw SyntaxError(offset: bytes.count, reason: "unterminated string")
                }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 6 <= bytes.count, bytes[(index + 2)..<(index + 6)].allSatisfy(Self.isHexDigit) else {
                        throw SyntaxError(offset: index, reason: "bad \\u escape")
                    }
                    index += 6
                default:
                    throw SyntaxError(offset: index, reason: "bad escape")
                }
            case 0x00..<0x20:
                throw SyntaxError(offset: index, reason: "control character in string")
            default:
                index += 1
            }
        }
        throw SyntaxError(offset: bytes.count, reason: "unterminated string")
    }

    private func skipLiteral(_ literal: StaticString, from start: Int) throws(SyntaxError) -> Int {
        let matches = literal.withUTF8Buffer { expected in
            start + expected.count <= bytes.count && bytes[start..<(start + expected.count)].elementsEqual(expected)
        }
        let count = literal.withUTF8Buffer { $0.count }
        guard matches else { throw SyntaxError(offset: start, reason: "bad literal") }
        return start + count
    }

    private func skipNumber(from start: Int) throws(SyntaxError) -> Int {
        var index = start
        if byte(at: index) == UInt8(ascii: "-") { index += 1 }
        guard let first = byte(at: index), Self.isDigit(first) else {
            throw SyntaxError(offset: index, reason: "bad number")
        }
        index += 1
        if first != UInt8(ascii: "0") {
            while let next = byte(at: index), Self.isDigit(next) { index += 1 }
        }
        if byte(at: index) == UInt8(ascii: ".") {
            index += 1
            guard let next = byte(at: index), Self.isDigit(next) else {
                throw SyntaxError(offset: index, reason: "bad fraction")
            }
            while let next = byte(at: index), Self.isDigit(next) { index += 1 }
        }
        if byte(at: index) == UInt8(ascii: "e") || byte(at: index) == UInt8(ascii: "E") {
            index += 1
            if byte(at: index) == UInt8(ascii: "+") || byte(at: index) == UInt8(ascii: "-") { index += 1 }
            guard let next = byte(at: index), Self.isDigit(next) else {
                throw SyntaxError(offset: index, reason: "bad exponent")
            }
            while let next = byte(at: index), Self.isDigit(next) { index += 1 }
        }
        return index
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    /// Decodes the string literal occupying `range` (quotes included), as Swift decodes text: a lone surrogate's
    /// escape (`\ud800`, which RFC 8259's grammar allows) and bytes that are not UTF-8 each become U+FFFD, so a
    /// hostile key or id reads as a string instead of making its whole object unreadable.
    func unescapedString(in range: Range<Int>) throws(SyntaxError) -> String {
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        guard bytes[inner].contains(UInt8(ascii: "\\")) else { return String(decoding: bytes[inner], as: UTF8.self) }
        var text: [UInt8] = []
        text.reserveCapacity(inner.count)
        var index = inner.lowerBound
        while index < inner.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                text.append(byte)
                index += 1
                continue
            }
            guard index + 1 < inner.upperBound else { throw SyntaxError(offset: index, reason: "bad escape") }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(bytes[index + 1])
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = codeUnit(at: index + 2, before: inner.upperBound) else {
                    throw SyntaxError(offset: index, reason: "bad \\u escape")
                }
                index += 6
                var scalar = Unicode.Scalar(unit)
                if (0xD800..<0xDC00).contains(unit), bytes[index..<inner.upperBound].starts(with: [0x5C, 0x75]),
                    let low = codeUnit(at: index + 2, before: inner.upperBound), (0xDC00..<0xE000).contains(low)
                {
                    scalar = Unicode.Scalar(0x10000 + (UInt32(unit) - 0xD800) << 10 + (UInt32(low) - 0xDC00))
                    index += 6
                }
                // A surrogate without its pair is no scalar.
                text.append(contentsOf: UTF8.encode(scalar ?? "\u{FFFD}")!)
                continue
            default:
                throw SyntaxError(offset: index, reason: "bad escape")
            }
            index += 2
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The four hex digits at `index` (before `end`) as a UTF-16 code unit; nil when they are not.
    private func codeUnit(at index: Int, before end: Int) -> UInt16? {
        guard index + 4 <= end else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }
}
