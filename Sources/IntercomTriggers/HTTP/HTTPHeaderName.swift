/// Header names compare without regard to ASCII case (RFC 9110 §5.1). Compared byte by byte: Foundation's
/// `caseInsensitiveCompare` goes through CFString and was a visible share of an idle poll's CPU.
enum HTTPHeaderName {
    /// Whether `a` and `b` are the same header name (ASCII letters in any case; other bytes exactly).
    static func equal(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in
            b.withUTF8 { right in
                guard left.count == right.count else { return false }
                for index in 0..<left.count where left[index] != right[index] {
                    guard lowered(left[index]) == lowered(right[index]) else { return false }
                }
                return true
            }
        }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
