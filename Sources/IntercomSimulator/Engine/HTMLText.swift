import Foundation

/// Turns message HTML into the plain text `?display_as=plaintext` returns.
enum HTMLText {
    /// Drops tags, turns block ends and `<br>` into newlines and decodes the common entities.
    static func plain(_ html: String) -> String {
        var out = ""
        var tag = ""
        var inTag = false
        for character in html {
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().trimmingPrefix("/").prefix { $0.isLetter }
                    if (tag.hasPrefix("/") && ["p", "div", "li"].contains(String(name))) || name == "br" {
                        out.append("\n")
                    }
                } else {
                    tag.append(character)
                }
            } else if character == "<" {
                inTag = true
                tag = ""
            } else {
                out.append(character)
            }
        }
        let entities = [
            ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&"),
        ]
        for (entity, replacement) in entities { out = out.replacingOccurrences(of: entity, with: replacement) }
        while out.hasSuffix("\n") { out.removeLast() }
        return out
    }
}
