import Foundation

/// Re-lays out valid JSON bytes without parsing them into values, so key order and number
/// formatting stay exactly as Intercom sent them.
public enum JSONLayout {
    /// One line: whitespace outside strings removed.
    public static func compact(_ json: Data) -> Data { layout(json, indent: nil) }

    /// Indented by two spaces per level, `"key": value`.
    public static func pretty(_ json: Data) -> Data { layout(json, indent: "  ") }

    private static func layout(_ json: Data, indent: String?) -> Data {
        let space = UInt8(ascii: " ")
        let newline = UInt8(ascii: "\n")
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 4)
        var depth = 0
        var inString = false
        var escaped = false
        let bytes = Array(json)
        func breakLine() {
            guard let indent else { return }
            out.append(newline)
            for _ in 0..<depth { out.append(contentsOf: Array(indent.utf8)) }
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                out.append(byte)
            case space, newline, UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                // Empty containers stay on one line.
                var next = index
                while next < bytes.count,
                    [space, newline, UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[next])
                {
                    next += 1
                }
                if next < bytes.count, bytes[next] == UInt8(ascii: "}") || bytes[next] == UInt8(ascii: "]") {
                    out.append(bytes[next])
                    index = next + 1
                } else {
                    depth += 1
                    breakLine()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                breakLine()
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                breakLine()
            case UInt8(ascii: ":"):
                out.append(byte)
                if indent != nil { out.append(space) }
            default:
                out.append(byte)
            }
        }
        return Data(out)
    }
}
