import Foundation

/// A validated search request body: the filter as a predicate, the sort and the page.
struct SearchQuery<Record> {
    /// Intercom's documented limits.
    static var maxFiltersPerGroup: Int { 15 }
    static var maxNestedLevels: Int { 2 }
    /// Above 150 we clamp instead of failing: Intercom documents 150 as the maximum but not an error, and
    /// a client asking for more still gets correct (smaller) pages.
    static var maxPerPage: Int { 150 }

    var matches: (Record) -> Bool
    /// A canonical rendering of the filter, to cache counts by.
    var cacheKey: String
    var sortField: String?
    var sortKind: SearchFieldKind
    var ascending: Bool
    var perPage: Int
    var cursor: SearchCursor?

    /// Validates `body` against `schema`; `defaultPerPage` is 50 for contacts and 20 for conversations.
    init(body: JSONValue, schema: SearchSchema<Record>, defaultPerPage: Int) throws(APIError) {
        guard case .object = body else {
            throw APIError(code: "parameter_invalid", message: "The request body must be a JSON object")
        }
        guard let query = body["query"], !query.isNull else {
            throw APIError(code: "parameter_not_found", message: "query parameter is required", field: "query")
        }
        matches = try Self.compile(query, schema: schema, level: 0)
        cacheKey = query.jsonString

        // Without a sort Intercom documents `last_request_at` descending; we use `updated_at` descending,
        // which keeps the indexed fast path.
        sortField = nil
        sortKind = .date
        ascending = false  // Intercom's default order is descending.
        if let sort = body["sort"], !sort.isNull {
            guard case .object = sort else {
                throw APIError(code: "parameter_invalid", message: "sort must be an object", field: "sort")
            }
            if let order = sort["order"] {
                switch order.stringValue {
                case "ascending": ascending = true
                case "descending": ascending = false
                default:
                    let shown = order.stringValue ?? order.jsonString
                    throw APIError(
                        code: "invalid_sort_order",
                        message: "Invalid sort order '\(shown)'. Must be one of: ascending, descending")
                }
            }
            if let name = sort["field"]?.stringValue {
                guard let field = schema.field(name) else {
                    throw APIError(
                        code: "parameter_invalid", message: "Cannot sort by unknown field '\(name)'", field: name)
                }
                sortField = name
                sortKind = field.kind
            }
        }

        perPage = defaultPerPage
        cursor = nil
        if let pagination = body["pagination"], !pagination.isNull {
            if let value = pagination["per_page"], !value.isNull {
                guard let number = value.intValue ?? value.stringValue.flatMap({ Int($0) }) else {
                    throw APIError(code: "parameter_invalid", message: "per_page must be an integer", field: "per_page")
                }
                perPage = min(max(number, 1), Self.maxPerPage)
            }
            if let after = pagination["starting_after"], !after.isNull {
                guard let text = after.stringValue, let decoded = SearchCursor(encoded: text) else {
                    throw SearchCursor.invalid
                }
                cursor = decoded
            }
        }
    }

    private static func compile(
        _ node: JSONValue, schema: SearchSchema<Record>, level: Int
    ) throws(APIError) -> (Record) -> Bool {
        guard case .object(let object) = node else {
            throw APIError(code: "parameter_invalid", message: "Each query must be an object")
        }
        let op = object["operator"]?.stringValue
        if op == "AND" || op == "OR" {
            if level >= maxNestedLevels {
                throw APIError(
                    code: "bad_request", message: "Too many nested levels: filters may be nested at most 2 levels deep")
            }
            guard let children = object["value"]?.arrayValue, !children.isEmpty else {
                throw APIError(
                    code: "parameter_invalid", message: "An \(op ?? "") query needs an array of filters as its value")
            }
            if children.count > maxFiltersPerGroup {
                throw APIError(
                    code: "bad_request",
                    message: "Too many filters: an AND or OR group may hold at most 15 filters, got \(children.count)")
            }
            var predicates: [(Record) -> Bool] = []
            for child in children { predicates.append(try compile(child, schema: schema, level: level + 1)) }
            if op == "AND" { return { record in predicates.allSatisfy { $0(record) } } }
            return { record in predicates.contains { $0(record) } }
        }
        return try compileFilter(object, schema: schema)
    }

    private static func compileFilter(
        _ filter: JSONObject, schema: SearchSchema<Record>
    ) throws(APIError) -> (Record) -> Bool {
        guard let name = filter["field"]?.stringValue else {
            throw APIError(code: "parameter_invalid", message: "Each filter needs a field")
        }
        guard let op = filter["operator"]?.stringValue else {
            throw APIError(code: "parameter_invalid", message: "Each filter needs an operator", field: name)
        }
        let known = ["=", "!=", "IN", "NIN", "<", "<=", ">", ">=", "~", "!~", "^", "$"]
        guard known.contains(op) else {
            throw APIError(code: "parameter_invalid", message: "Operator '\(op)' is not a valid operator", field: name)
        }
        guard let field = schema.field(name) else {
            throw APIError(
                code: "parameter_invalid", message: "Field '\(name)' is not a searchable \(schema.resource) field",
                field: name)
        }
        let value = filter["value"] ?? .null
        let kind = field.kind
        let allowed: Set<String> =
            switch kind {
            case .string, .words, .stringList: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"]
            case .tagList: ["=", "!="]
            case .integer: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]
            case .boolean: ["=", "!=", "IN", "NIN"]
            case .date: schema.dateOperators
            case .custom: Set(known)
            }
        guard allowed.contains(op) else { throw APIError.unsupportedOperator(op, field: name, kind: kind.name) }

        let read = field.read
        if op == "IN" || op == "NIN" {
            guard let elements = value.arrayValue else {
                throw APIError(
                    code: "type_mismatch", message: "Operator '\(op)' needs an array value for field '\(name)'",
                    field: name)
            }
            var tests: [(SearchFieldValue) -> Bool] = []
            for element in elements {
                tests.append(try FilterMatcher.test(kind: kind, op: "=", value: element, field: name, schema: schema))
            }
            let negate = op == "NIN"
            return { record in
                let fieldValue = read(record)
                let found = tests.contains { $0(fieldValue) }
                return negate ? !found : found
            }
        }
        let test = try FilterMatcher.test(kind: kind, op: op, value: value, field: name, schema: schema)
        return { test(read($0)) }
    }
}

extension SearchQuery {
    /// A `GET` list: every searchable record, most recently updated first, paged by query parameters.
    static func list(_ parameters: [String: String], defaultPerPage: Int) throws(APIError) -> SearchQuery {
        var body = JSONObject()
        body["query"] = ["field": "id", "operator": "!=", "value": nil]
        var pagination = JSONObject()
        if let perPage = parameters["per_page"] {
            guard let number = Int(perPage) else {
                throw APIError(code: "parameter_invalid", message: "per_page must be an integer", field: "per_page")
            }
            pagination["per_page"] = .int(number)
        }
        if let after = parameters["starting_after"] { pagination["starting_after"] = .string(after) }
        body["pagination"] = .object(pagination)
        body["sort"] = ["field": "updated_at", "order": "descending"]
        return try SearchQuery(body: .object(body), schema: listSchema, defaultPerPage: defaultPerPage)
    }

    private static var listSchema: SearchSchema<Record> {
        SearchSchema(
            resource: "record",
            fields: [
                "id": SearchField(kind: .string) { _ in .string("x") },
                "updated_at": SearchField(kind: .date) { _ in .int(nil) },
            ],
            customAttributes: { _ in JSONObject() }, dayGranularDates: false, dateOperators: [],
            calendar: Calendar(identifier: .gregorian))
    }
}
