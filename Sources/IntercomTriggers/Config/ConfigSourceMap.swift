import Foundation

/// Where each table and key of a TOML document is written, so errors can name a line. TOMLKit does not expose
/// source positions of parsed nodes, so this reads the text itself: table headers, `key =` lines (dotted keys too),
/// and the lines a value spans (multi-line arrays and strings).
///
/// Paths look like `poll.interval`, `destination[1].url`: the n-th `[[destination]]` in the file is index n, and
/// the m-th `[[destination.when]]` below it `destination[n].when[m]`.
struct ConfigSourceMap {
    private(set) var tables: [String: Int] = [:]
    private(set) var keys: [String: Int] = [:]
    private(set) var spans: [String: ClosedRange<Int>] = [:]
    let lines: [Substring]

    init(text: String) {
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var scanner = Scanner()
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var open: (path: String, start: Int)?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let busy = scanner.depth > 0 || scanner.multiline != nil
            if !busy {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.hasPrefix("[[") {
                    let name = Self.within(Self.headerName(trimmed.dropFirst(2), closing: "]]"), arrayCounts)
                    let position = arrayCounts[name, default: 0]
                    arrayCounts[name] = position + 1
                    table = "\(name)[\(position)]"
                    tables[table] = number
                    continue
                } else if trimmed.hasPrefix("[") {
                    table = Self.within(Self.headerName(trimmed.dropFirst(), closing: "]"), arrayCounts)
                    tables[table] = number
                    continue
                } else if let (key, rest) = Self.keyAndValue(trimmed) {
                    let path = table.isEmpty ? key : "\(table).\(key)"
                    if keys[path] == nil { keys[path] = number }
                    scanner.scan(rest)
                    if scanner.depth > 0 || scanner.multiline != nil {
                        open = (path, number)
                    } else {
                        spans[path] = number...number
                    }
                    continue
                }
            }
            scanner.scan(line)
            if let current = open, scanner.depth == 0, scanner.multiline == nil {
                spans[current.path] = current.start...number
                open = nil
            }
        }
    }

    /// The line of `path`, or of the nearest enclosing key or table written in the file; 0 when there is none.
    func line(of path: String) -> Int {
        var path = path
        while !path.isEmpty {
            if let line = keys[path] ?? tables[path] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = String(path[..<cut])
        }
        return 0
    }

    /// The line where the string `literal` is written in the value of `path` (an element of a multi-line array),
    /// else the line of `path`.
    func line(of path: String, literal: String) -> Int {
        if let span = spans[path] {
            for number in span
            where lines[number - 1].contains("\"\(literal)\"") || lines[number - 1].contains("'\(literal)'") {
                return number
            }
        }
        return line(of: path)
    }

    /// The path of the table `name` names, in the last table of each array of tables on its way: after the
    /// third `[[destination]]`, `destination.when` is `destination[2].when`.
    private static func within(_ name: String, _ arrayCounts: [String: Int]) -> String {
        var path = ""
        for part in name.split(separator: ".", omittingEmptySubsequences: false) {
            if !path.isEmpty, let count = arrayCounts[path] { path += "[\(count - 1)]" }
            path += path.isEmpty ? String(part) : ".\(part)"
        }
        return path
    }

    /// `destination` from `destination]]`, `"a b".c` as `a b.c`.
    private static func headerName(_ text: Substring, closing: String) -> String {
        let end = text.range(of: closing)?.lowerBound ?? text.endIndex
        return splitKey(text[..<end]).joined(separator: ".")
    }

    /// The dotted key and the text after `=` of a `key = value` line.
    private static func keyAndValue(_ line: Substring) -> (String, Substring)? {
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "=" {
                let key = splitKey(line[..<index])
                guard !key.isEmpty, !key.contains(where: \.isEmpty) else { return nil }
                return (key.joined(separator: "."), line[line.index(after: index)...])
            } else if character == "#" {
                return nil
            }
        }
        return nil
    }

    /// The parts of a dotted key, unquoted and trimmed.
    private static func splitKey(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingWhitespace())
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingWhitespace())
        return parts
    }

    /// Tracks what continues past the end of a line: open brackets and multi-line strings.
    private struct Scanner {
        var depth = 0
        var multiline: String?

        mutating func scan(_ line: Substring) {
            var rest = line[...]
            while let character = rest.first {
                if let delimiter = multiline {
                    if rest.hasPrefix("\\") && delimiter == "\"\"\"" {
                        rest = rest.dropFirst(2)
                    } else if rest.hasPrefix(delimiter) {
                        multiline = nil
                        rest = rest.dropFirst(3)
                    } else {
                        rest = rest.dropFirst()
                    }
                    continue
                }
                if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
                    multiline = String(rest.prefix(3))
                    rest = rest.dropFirst(3)
                } else if character == "\"" || character == "'" {
                    rest = rest.dropFirst()
                    while let next = rest.first, next != character {
                        rest = rest.dropFirst(next == "\\" && character == "\"" ? 2 : 1)
                    }
                    rest = rest.dropFirst()
                } else if character == "#" {
                    return
                } else {
                    if character == "[" || character == "{" { depth += 1 }
                    if character == "]" || character == "}" { depth = max(0, depth - 1) }
                    rest = rest.dropFirst()
                }
            }
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
