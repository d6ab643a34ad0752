import Foundation
import TOMLKit

extension ConfigParser {
    /// The `[[destination.when]]` tables of the destination `table` (called `name`), whose events are those of
    /// `topics`; `ignored` are the paths of `[triggers] ignore_fields`, or those every one of the destination's
    /// workspaces ignores when `multiple`.
    func eventFilter(
        _ table: Table, name: String, topics: [Topic], ignored: [String] = [], multiple: Bool = false
    ) throws(ConfigError) -> EventFilter {
        guard let value = table.toml["when"] else { return EventFilter() }
        guard let array = value.array else {
            throw error(
                at: path(table, "when"),
                "`when` in \(table.label) must be an array of tables, not \(Self.article(value.type))",
                fix: "write each condition under its own [[destination.when]] header, below the destination's keys")
        }
        var conditions: [FilterCondition] = []
        for (index, element) in array.enumerated() {
            let conditionPath = "\(table.path).when[\(index)]"
            guard let toml = element.table else {
                throw error(
                    at: conditionPath,
                    "each condition of \(table.label) must be a table, not \(Self.article(element.type))",
                    fix: "write each condition under its own [[destination.when]] header with field, operator and value"
                )
            }
            let condition = Table(
                toml: toml, path: conditionPath, section: "destination.when",
                label: "[[destination.when]] #\(index + 1) of \"\(name)\"")
            conditions.append(try filterCondition(condition, topics: topics, ignored: ignored, multiple: multiple))
        }
        return EventFilter(conditions)
    }

    /// One `[[destination.when]]`: a field the items of every one of `topics` have, a known operator, and the
    /// value that operator takes.
    func filterCondition(
        _ table: Table, topics: [Topic], ignored: [String] = [], multiple: Bool = false
    ) throws(ConfigError) -> FilterCondition {
        try checkKeys(table)
        guard let field = try string(table, "field") else {
            throw error(
                at: table.path, "\(table.label) has no field",
                fix: "add field = \"custom_attributes.plan\", the dotted path of an attribute of the event's item")
        }
        let kind = try attributeKind(field, table, topics: topics)
        guard let name = try string(table, "operator") else {
            throw error(
                at: table.path, "\(table.label) has no operator", fix: "add operator = \"=\" (\(Self.operatorList))")
        }
        guard let op = FilterOperator(rawValue: name) else {
            throw error(
                at: path(table, "operator"), "unknown operator \"\(name)\" in \(table.label)",
                fix: Self.operatorFix(name))
        }
        if op != .changed, case .object(let example) = kind {
            throw error(
                at: path(table, "field"),
                "`field` in \(table.label) is \"\(field)\", an object, which operator "
                    + "\"\(name)\" cannot compare",
                fix: "compare one of its attributes, such as field = \"\(example)\", or use operator = \"changed\"")
        }
        if op == .changed, !topics.contains(where: { TopicCatalog.changeTopics.contains($0.name) }) {
            let names = topics.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw error(
                at: path(table, "operator"),
                "operator \"changed\" in \(table.label) never holds: none of the destination's topics (\(names)) "
                    + "carries changes",
                fix: "add \"contact.user.updated\" or \"contact.lead.updated\" (enabled in [triggers] topics) to the "
                    + "destination's topics: their events list what changed")
        }
        // `changes` never lists `updated_at` (the version) nor an ignored path, so `changed` could never hold there.
        if op == .changed,
            let covering = (["updated_at"] + ignored).first(where: { field == $0 || field.hasPrefix($0 + ".") })
        {
            let reason =
                covering == "updated_at"
                ? "updated_at is the version of every update, never a change"
                : multiple
                    ? "every workspace of the destination ignores \"\(covering)\" (ignore_fields), so an update's "
                        + "changes never list it"
                    : "\"\(covering)\" is in [triggers] ignore_fields, so an update's changes never list it"
            throw error(
                at: path(table, "field"),
                "operator \"changed\" on \"\(field)\" in \(table.label) never holds: \(reason)",
                fix: covering == "updated_at"
                    ? "filter on the attribute whose change matters, such as field = \"custom_attributes.plan\""
                    : "remove \"\(covering)\" from ignore_fields in \(multiple ? "those workspaces" : "[triggers]"), "
                        + "or filter on another attribute")
        }
        return FilterCondition(field: field, operator: op, value: try filterValue(table, op))
    }

    /// What `field` names in the items of `topics`: a well-formed path every one of their resources has.
    private func attributeKind(
        _ field: String, _ table: Table, topics: [Topic]
    ) throws(ConfigError) -> ItemAttributes.Kind {
        let at = path(table, "field")
        let resources = Resource.allCases.filter { resource in topics.contains { $0.resource == resource } }
        let tables = resources.map(ItemAttributes.attributes(of:))
        let names = field.split(separator: ".", omittingEmptySubsequences: false)
        guard !names.contains(where: \.isEmpty) else {
            throw error(
                at: at,
                field.isEmpty
                    ? "`field` in \(table.label) is empty"
                    : "`field` in \(table.label) is \"\(field)\", which has an empty name between dots",
                fix: "write field = \"custom_attributes.plan\": attribute names joined by single dots")
        }
        // Only a custom attribute's name may hold spaces ("custom_attributes.The One Ring"), and not at its ends.
        let custom = tables.flatMap(\.open).first { field.hasPrefix($0 + ".") }
        let strict = custom.map { field.prefix($0.count) } ?? field[...]
        let customName = custom.map { field.dropFirst($0.count + 1) } ?? ""
        if strict.contains(where: \.isWhitespace) || customName.first?.isWhitespace == true
            || customName.last?.isWhitespace == true
        {
            throw error(
                at: at, "`field` in \(table.label) is \"\(field)\", which has a space where a name cannot",
                fix: "remove the spaces; only a custom attribute's name may hold some, as in "
                    + "\"custom_attributes.The One Ring\"")
        }
        let kinds = tables.map { $0.kind(of: field) }
        guard let known = zip(resources, kinds).first(where: { $0.1 != nil })?.0 else {
            let near = Self.nearestPath(field, among: tables)
            let items = resources.map(\.rawValue).joined(separator: " or ")
            throw error(
                at: at, "`field` in \(table.label): \"\(field)\" is not an attribute of Intercom's \(items)",
                fix: (near.map { "did you mean \"\($0)\"? " } ?? "")
                    + "name an attribute of the item as the API returns it, or custom_attributes.<name>")
        }
        if let missing = kinds.firstIndex(where: { $0 == nil }) {
            let lacking = resources[missing]
            let having = topics.filter { $0.resource == known }.map { "\"\($0.name)\"" }
            let others = topics.filter { $0.resource == lacking }.map { "\"\($0.name)\"" }
            throw error(
                at: at,
                "`field` in \(table.label): \"\(field)\" is an attribute of \(known) but not of \(lacking), which "
                    + "this destination also receives (\(others.joined(separator: ", ")))",
                fix: "set topics = [\(having.joined(separator: ", "))] in this destination, and send "
                    + "\(others.joined(separator: ", ")) to a [[destination]] of their own if they are wanted")
        }
        return kinds.compactMap(\.self).first { $0 != .value } ?? .value
    }

    /// The `value` of a condition with `op`: absent for `changed`; a non-empty array for `IN` and `NIN`; a number
    /// for `<` and `>`; a non-empty string for `~`, `!~`, `^` and `$`; a string, number or boolean for `=` and `!=`.
    private func filterValue(_ table: Table, _ op: FilterOperator) throws(ConfigError) -> FilterValue? {
        let at = path(table, "value")
        let name = "\"\(op.rawValue)\""
        guard let raw = table.toml["value"] else {
            guard op.operand == .none else {
                throw error(
                    at: table.path, "\(table.label) has no value for operator \(name)",
                    fix: "add value = \(Self.exampleValue(op.operand))")
            }
            return nil
        }
        func unsuitable(_ expected: String, fix: String) -> ConfigError {
            error(
                at: at,
                "`value` in \(table.label) must be \(expected) for operator \(name), not \(Self.article(raw.type))",
                fix: fix)
        }
        switch op.operand {
        case .none:
            throw error(
                at: at, "`value` in \(table.label) has no use with operator \"changed\"",
                fix: "remove value; to require what the field became too, add a [[destination.when]] with the same "
                    + "field and operator = \"=\"")
        case .list:
            guard let array = raw.array else {
                let one = (try? scalar(raw, table)).map { "[\($0)]" } ?? Self.exampleValue(.list)
                throw unsuitable("an array", fix: "write value = \(one)")
            }
            guard !array.isEmpty else {
                throw error(
                    at: at,
                    "`value` in \(table.label) is an empty array, so \(name) would hold for "
                        + (op == .in ? "no event" : "every event"),
                    fix: "list at least one value, as in value = \(Self.exampleValue(.list))")
            }
            var values: [FilterValue] = []
            for element in array { values.append(try scalar(element, table)) }
            return .list(values)
        case .scalar:
            guard raw.array == nil else {
                throw error(
                    at: at, "`value` in \(table.label) must be one value for operator \(name), not an array",
                    fix: "write operator = \"\(op == .equals ? "IN" : "NIN")\" to compare with each of several values")
            }
            return try scalar(raw, table)
        case .number:
            let value = try scalar(raw, table)
            switch value {
            case .integer, .float: return value
            case .string(let text) where JSONScanner.Number(text) != nil:
                throw unsuitable("a number", fix: "write value = \(text), without quotes")
            default:
                throw unsuitable(
                    "a number", fix: "write value = \(Self.exampleValue(.number)) (timestamps are Unix seconds)")
            }
        case .text:
            let value = try scalar(raw, table)
            guard case .string(let text) = value else {
                throw unsuitable(
                    "a string",
                    fix: "write value = \(DaemonConfiguration.quoted(value.description)), or use operator = \"=\"")
            }
            guard !text.isEmpty else {
                throw error(
                    at: at,
                    "`value` in \(table.label) is empty, so operator \(name) would hold for "
                        + (op == .notContains ? "no string" : "every string"),
                    fix: "write the text to look for, as in value = \(Self.exampleValue(.text))")
            }
            return value
        }
    }

    /// A string, integer, finite float or boolean: the `value` of `table` or one element of it.
    private func scalar(_ raw: any TOMLValueConvertible, _ table: Table) throws(ConfigError) -> FilterValue {
        let at = path(table, "value")
        if let text = raw.string { return .string(text) }
        if let number = raw.int { return .integer(number) }
        if let flag = raw.bool { return .bool(flag) }
        if let number = raw.double {
            guard number.isFinite else {
                throw error(
                    at: at, "`value` in \(table.label) is \(number), not a finite number",
                    fix: "write a number such as 1.5")
            }
            return .float(number)
        }
        if let dateTime = raw.dateTime {
            let seconds = dateTime.offset == nil ? nil : dateTime.fDate.map { Int($0.timeIntervalSince1970) }
            throw error(
                at: at, "`value` in \(table.label) is a date-time, but items hold times as Unix seconds",
                fix: seconds.map { "write value = \($0)" } ?? "write the time as Unix seconds, as in 1735689600")
        }
        throw error(
            at: at, "`value` in \(table.label) must be a string, number or boolean, not \(Self.article(raw.type))",
            fix: "write value = \"pro\", 42, 1.5 or true (an array of them for IN and NIN)")
    }

    /// `"=", "!=", … or "changed"`.
    static let operatorList =
        FilterOperator.allCases.dropLast().map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + " or \"changed\""

    /// The fix for the unknown operator `name`: the operator meant, when that is clear, and the list.
    static func operatorFix(_ name: String) -> String {
        if name == ">=" || name == "<=" {
            let example = name == ">=" ? "> 9 for ≥ 10" : "< 11 for ≤ 10"
            return "there is no \(name): write \"\(name.prefix(1))\" with the value next to it (\(example)); "
                + "operators: \(operatorList)"
        }
        let meant =
            switch name {
            case "==": "="
            case "<>": "!="
            default: FilterOperator.allCases.first { $0.rawValue.lowercased() == name.lowercased() }?.rawValue
            }
        return (meant.map { "did you mean \"\($0)\"? " } ?? "") + "write operator = one of \(operatorList)"
    }

    static func exampleValue(_ operand: FilterOperator.Operand) -> String {
        switch operand {
        case .scalar: #""pro""#
        case .list: #"["pro", "team"]"#
        case .number: "1735689600"
        case .text: #""@example.com""#
        case .none: ""
        }
    }

    /// The known path nearest to `field`: among all paths, else with its first name corrected.
    static func nearestPath(_ field: String, among tables: [ItemAttributes.Table]) -> String? {
        let paths = tables.flatMap(\.paths) + tables.flatMap(\.open)
        if let near = ConfigSchema.nearest(field, among: paths) { return near }
        let names = field.split(separator: ".", maxSplits: 1)
        guard names.count == 2, let first = ConfigSchema.nearest(String(names[0]), among: paths) else { return nil }
        return "\(first).\(names[1])"
    }
}
