/// Header names compare without regard to ASCII case (RFC 9110 §5.1). Compared byte by byte: Foundation's
/// `caseInsensitiveCompare` goes through CFString and was a visible share of an idle poll's CPU.
enum HTTPHeaderName {
    /// Whether `a` and `b` are the same header name (ASCII letters in any case; other bytes exactly).
    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { lowered($0) == lowered($1) }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
