extension String {
    /// This text with every character that could act on a terminal or a log reader written out visibly:
    /// `\n`, `\r`, `\t`, and `\u{1b}`-style escapes for the other C0 controls, DEL, the C1 controls (U+0080–U+009F,
    /// 8-bit CSI included), bidirectional formatting characters and the Unicode line and paragraph separators.
    ///
    /// Receivers and Intercom choose the text of error messages; printed raw, an ESC sequence can rewrite the
    /// operator's terminal, a CR or LF can forge a log line, and a bidi override can make text read backwards.
    /// The result holds no such character, so escaping twice changes nothing.
    var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var result = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where Self.needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether ``escapingControlCharacters`` rewrites `scalar`.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Arabic letter mark, LRM/RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }
}
