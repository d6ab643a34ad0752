import Foundation
import TOMLKit

/// Turns the text of `daemon.conf` into a ``DaemonConfiguration``: TOML syntax through TOMLKit, then every table
/// checked against ``ConfigSchema``, every value against its rules, every secret read. Problems become
/// ``ConfigError``s that point at the line of the offending key.
struct ConfigParser {
    /// One table being read: the TOML table, its path in the source map, and how to name it in messages.
    struct Table {
        var toml: TOMLTable
        /// `poll`, `destination[1]`.
        var path: String
        /// The ``ConfigSchema`` section.
        var section: String
        /// `[poll]`, `[[destination]] "crm"`.
        var label: String
    }

    let text: String
    let file: String
    let environment: [String: String]
    let map: ConfigSourceMap
    /// Relative paths in the file are relative to this directory (the file's own).
    let directory: URL
    var warnings: [ConfigWarning] = []
    /// Lines holding a secret written inline, for the load-time permission warning.
    var inlineSecretLines: [Int] = []
    /// False for commands that only use the store: a missing token is then not an error.
    let tokenRequired: Bool

    init(text: String, file: String, environment: [String: String], tokenRequired: Bool = true) {
        self.tokenRequired = tokenRequired
        self.text = text
        self.file = file
        self.environment = environment
        self.map = ConfigSourceMap(text: text)
        self.directory = URL(fileURLWithPath: file).deletingLastPathComponent()
    }

    // MARK: Errors

    func error(at path: String, _ problem: String, fix: String) -> ConfigError {
        ConfigError(file: file, line: map.line(of: path), problem: problem, fix: fix)
    }

    mutating func warn(at path: String, _ problem: String, fix: String) {
        warnings.append(ConfigWarning(file: file, line: map.line(of: path), problem: problem, fix: fix))
    }

    // MARK: Tables and keys

    /// Refuses keys `table`'s section does not take, the first in the file first.
    func checkKeys(_ table: Table) throws(ConfigError) {
        let known = Set(
            table.section.isEmpty
                ? ConfigSchema.topLevel + ConfigSchema.topLevelKeys.map(\.key) : ConfigSchema.keys(of: table.section))
        let unknown = table.toml.keys.filter { !known.contains($0) }
            .min { map.line(of: path(table, $0)) < map.line(of: path(table, $1)) }
        if let key = unknown {
            throw error(
                at: path(table, key), "unknown key `\(key)` in \(table.label)",
                fix: ConfigSchema.fix(forUnknown: key, in: table.section))
        }
    }

    /// The sub-table `name` of the document, empty when absent.
    func section(_ name: String, in root: TOMLTable) throws(ConfigError) -> Table {
        let label = ConfigSchema.header(name)
        guard let value = root[name] else { return Table(toml: TOMLTable(), path: name, section: name, label: label) }
        guard let table = value.table else {
            throw error(
                at: name, "`\(name)` must be a table, not \(Self.article(value.type))",
                fix: "write the \(label) table header and its keys on the lines below it")
        }
        return Table(toml: table, path: name, section: name, label: label)
    }

    /// The tables of the array of tables `section` (`destination` for `[[destination]]`) in `root`, in file order,
    /// labelled by their position; empty when the file has none. `noun` names one in messages.
    func arrayOfTables(_ section: String, noun: String, in root: TOMLTable) throws(ConfigError) -> [Table] {
        guard let value = root[section] else { return [] }
        let header = ConfigSchema.header(section)
        guard let array = value.array else {
            throw error(
                at: section, "`\(section)` must be an array of tables, not \(Self.article(value.type))",
                fix: "write each \(noun) under its own \(header) header (double brackets)")
        }
        var tables: [Table] = []
        for (index, element) in array.enumerated() {
            let path = "\(section)[\(index)]"
            guard let toml = element.table else {
                throw error(
                    at: path, "each \(noun) must be a table, not \(Self.article(element.type))",
                    fix: "write each \(noun) under its own \(header) header")
            }
            tables.append(Table(toml: toml, path: path, section: section, label: "\(header) #\(index + 1)"))
        }
        return tables
    }

    func path(_ table: Table, _ key: String) -> String { table.path.isEmpty ? key : "\(table.path).\(key)" }

    /// "`key` in [table] must be EXPECTED, not a TYPE", with the key's example as the fix.
    func wrongType(
        _ table: Table, _ key: String, _ expected: String, _ value: any TOMLValueConvertible
    ) -> ConfigError {
        var example = ConfigSchema.example(key, in: table.section)
        if expected.hasPrefix("a duration"), let number = value.int {
            example = "\"\(number)s\""
        }
        return error(
            at: path(table, key), "`\(key)` in \(table.label) must be \(expected), not \(Self.article(value.type))",
            fix: "write \(key) = \(example)")
    }

    // MARK: Typed values

    func string(_ table: Table, _ key: String) throws(ConfigError) -> String? {
        guard let value = table.toml[key] else { return nil }
        guard let string = value.string else { throw wrongType(table, key, "a string", value) }
        return string
    }

    /// A string that must not be empty.
    func nonEmptyString(_ table: Table, _ key: String) throws(ConfigError) -> String? {
        guard let string = try string(table, key) else { return nil }
        guard !string.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error(
                at: path(table, key), "`\(key)` in \(table.label) is empty",
                fix: "write \(key) = \(ConfigSchema.example(key, in: table.section)), or remove the line")
        }
        return string
    }

    func integer(_ table: Table, _ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = table.toml[key] else { return nil }
        guard let number = value.int else { throw wrongType(table, key, "an integer", value) }
        guard range.contains(number) else {
            throw error(
                at: path(table, key),
                "`\(key)` in \(table.label) is \(number), outside \(range.lowerBound)…\(range.upperBound)",
                fix: "write \(key) = \(ConfigSchema.example(key, in: table.section))")
        }
        return number
    }

    func bool(_ table: Table, _ key: String) throws(ConfigError) -> Bool? {
        guard let value = table.toml[key] else { return nil }
        guard let flag = value.bool else { throw wrongType(table, key, "true or false", value) }
        return flag
    }

    /// A duration string ("120s"); `positive` refuses zero.
    func duration(_ table: Table, _ key: String, positive: Bool = true) throws(ConfigError) -> Duration? {
        guard let value = table.toml[key] else { return nil }
        guard let text = value.string else { throw wrongType(table, key, "a duration string such as \"120s\"", value) }
        return try duration(text, key: key, in: table, positive: positive)
    }

    /// Parses `text`, the value (or an element, on `line`) of `key` in `table`.
    func duration(
        _ text: String, key: String, in table: Table, positive: Bool, line: Int? = nil
    ) throws(ConfigError) -> Duration {
        let place = line ?? map.line(of: path(table, key))
        let parsed: Duration
        do {
            parsed = try ConfigDuration.parse(text)
        } catch {
            throw ConfigError(
                file: file, line: place, problem: "`\(key)` in \(table.label): \(error.problem)",
                fix: "write \"\(error.suggestion)\" (units: ms, s, m, h, d)")
        }
        if positive && parsed <= .zero {
            throw ConfigError(
                file: file, line: place, problem: "`\(key)` in \(table.label) must be longer than zero",
                fix: "write \(key) = \(ConfigSchema.example(key, in: table.section))")
        }
        return parsed
    }

    /// An array whose elements all are strings.
    func strings(_ table: Table, _ key: String) throws(ConfigError) -> [String]? {
        guard let value = table.toml[key] else { return nil }
        guard let array = value.array else { throw wrongType(table, key, "an array of strings", value) }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else {
                throw wrongType(table, key, "an array of strings", element)
            }
            strings.append(string)
        }
        return strings
    }

    /// A path as written, made absolute against the configuration file's directory when relative.
    func resolvedPath(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
    }

    /// "an integer", "a string".
    static func article(_ type: TOMLType) -> String {
        let name = type.description
        return "aeiou".contains(name.first ?? "x") ? "an \(name)" : "a \(name)"
    }
}
