/// The `query` of a search request: one filter, or an AND/OR group of filters and groups.
///
/// ```swift
/// let query = SearchQuery.and([
///     .filter("updated_at", .greaterThan, 1_700_000_000),
///     .filter("role", .equals, "user"),
/// ])
/// ```
public struct SearchQuery: Sendable, Equatable {
    /// The most filters (or groups) Intercom accepts in one AND/OR group.
    public static let maximumGroupSize = 15
    /// The deepest nesting of AND/OR groups Intercom accepts.
    public static let maximumNesting = 2

    indirect enum Node: Sendable, Equatable {
        case filter(field: String, operator: SearchOperator, value: SearchValue)
        case group(operator: String, [Node])
    }

    let node: Node

    /// One filter: `{"field":…,"operator":…,"value":…}`.
    public static func filter(_ field: String, _ op: SearchOperator, _ value: SearchValue) -> SearchQuery {
        SearchQuery(node: .filter(field: field, operator: op, value: value))
    }

    /// All of `queries` must match.
    public static func and(_ queries: [SearchQuery]) -> SearchQuery {
        SearchQuery(node: .group(operator: "AND", queries.map(\.node)))
    }

    /// Any of `queries` may match.
    public static func or(_ queries: [SearchQuery]) -> SearchQuery {
        SearchQuery(node: .group(operator: "OR", queries.map(\.node)))
    }

    /// Refuses what Intercom would reject: more than two levels of groups, more than fifteen
    /// entries in a group, an empty group or field, or an array value with an operator other
    /// than IN/NIN (and the reverse).
    public func validate() throws(IntercomError) {
        try Self.validate(node, depth: 0)
    }

    private static func validate(_ node: Node, depth: Int) throws(IntercomError) {
        switch node {
        case .filter(let field, let op, let value):
            guard !field.isEmpty else { throw .invalidRequest("a search filter needs a field") }
            let isArray = if case .array = value { true } else { false }
            if op.takesArray && !isArray {
                throw .invalidRequest("operator \(op.rawValue) on \(field) needs an array value")
            }
            if !op.takesArray && isArray {
                throw .invalidRequest("operator \(op.rawValue) on \(field) does not take an array value")
            }
        case .group(let op, let children):
            guard depth < maximumNesting else {
                throw .invalidRequest("search queries allow at most \(maximumNesting) nested levels of AND/OR")
            }
            guard !children.isEmpty else { throw .invalidRequest("an \(op) group needs at least one filter") }
            guard children.count <= maximumGroupSize else {
                throw .invalidRequest(
                    "an \(op) group has \(children.count) filters; Intercom allows at most \(maximumGroupSize)")
            }
            for child in children { try validate(child, depth: depth + 1) }
        }
    }

    /// The query as JSON text, keys in Intercom's documented order.
    var json: String {
        var bytes: [UInt8] = []
        appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the query as JSON text to `bytes`.
    func appendJSON(to bytes: inout [UInt8]) {
        Self.append(node, to: &bytes)
    }

    private static func append(_ node: Node, to bytes: inout [UInt8]) {
        switch node {
        case .filter(let field, let op, let value):
            bytes.append(contentsOf: #"{"field":"#.utf8)
            JSONText.append(field, to: &bytes)
            bytes.append(contentsOf: #","operator":"#.utf8)
            JSONText.append(op.rawValue, to: &bytes)
            bytes.append(contentsOf: #","value":"#.utf8)
            value.appendJSON(to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        case .group(let op, let children):
            bytes.append(contentsOf: #"{"operator":"#.utf8)
            JSONText.append(op, to: &bytes)
            bytes.append(contentsOf: #","value":["#.utf8)
            for (index, child) in children.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(child, to: &bytes)
            }
            bytes.append(contentsOf: "]}".utf8)
        }
    }
}
