import Foundation

/// A stateless page cursor, Elasticsearch `search_after` style: base64 of `[sort_value, id, next_page]`,
/// where `sort_value` is milliseconds for date sorts. The next page holds the records strictly after
/// `(sort_value, id)` in sort order, so a record that moves between requests can be skipped or seen twice,
/// as in Intercom.
struct SearchCursor: Equatable, Sendable {
    var sortValue: JSONValue
    var id: JSONValue
    var page: Int

    static let invalid = APIError(
        code: "client_error",
        message:
            "Invalid starting_after param. Please try again using a starting_after value from a paginated response",
        field: "starting_after")

    init(sortValue: JSONValue, id: JSONValue, page: Int) {
        self.sortValue = sortValue
        self.id = id
        self.page = page
    }

    init?(encoded: String) {
        var text = encoded
        while text.count % 4 != 0 { text += "=" }  // tolerate stripped padding
        guard let data = Data(base64Encoded: text), let parts = JSONValue.parse(data)?.arrayValue,
            parts.count == 3, let page = parts[2].intValue, page >= 2
        else { return nil }
        sortValue = parts[0]
        id = parts[1]
        self.page = page
    }

    var encoded: String {
        JSONValue.array([sortValue, id, .int(page)]).serialized().base64EncodedString()
    }
}
