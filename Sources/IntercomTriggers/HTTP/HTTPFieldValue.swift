/// A header field's value as RFC 9110 §5.5 reads it: optional whitespace (spaces and tabs) around it is not part of
/// it. Trimmed bytewise: the `Date` and rate-limit headers of every Intercom response go through here, and
/// Foundation's trimming was a visible share of an idle poll's CPU.
enum HTTPFieldValue {
    /// `text` without the spaces and tabs at either end.
    static func trimmed(_ text: String) -> Substring {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !blank($0) }), let last = utf8.lastIndex(where: { !blank($0) })
        else { return "" }
        return Substring(utf8[first...last])
    }
}
