import Foundation

/// A whole search request body: query, pagination and sort. Serialises to exactly
/// `{"query":…,"pagination":{"per_page":N,"starting_after":…},"sort":{"field":…,"order":…}}`
/// (`starting_after` and `sort` omitted when not set).
public struct SearchRequest: Sendable, Equatable {
    /// Intercom's largest page.
    public static let maximumPerPage = 150

    public var query: SearchQuery
    public var sort: SearchSort?
    /// 1…150.
    public var perPage: Int
    /// The cursor of the page to fetch; nil for the first page.
    public var startingAfter: String?

    public init(query: SearchQuery, sort: SearchSort? = nil, perPage: Int = 150, startingAfter: String? = nil) {
        self.query = query
        self.sort = sort
        self.perPage = perPage
        self.startingAfter = startingAfter
    }

    /// Refuses a request Intercom would reject (see `SearchQuery.validate()`; per_page 1…150).
    public func validate() throws(IntercomError) {
        guard (1...Self.maximumPerPage).contains(perPage) else {
            throw .invalidRequest("per_page must be between 1 and \(Self.maximumPerPage), not \(perPage)")
        }
        try query.validate()
    }

    /// The request body as JSON text.
    public var json: String {
        var pagination = "{\"per_page\":\(perPage)"
        if let startingAfter { pagination += ",\"starting_after\":\(JSONText.string(startingAfter))" }
        pagination += "}"
        var text = "{\"query\":\(query.json),\"pagination\":\(pagination)"
        if let sort {
            text += ",\"sort\":{\"field\":\(JSONText.string(sort.field)),\"order\":\"\(sort.order.rawValue)\"}"
        }
        return text + "}"
    }

    /// The request body as bytes.
    public var body: Data { Data(json.utf8) }

    /// This request for the page after `cursor`.
    public func startingAfter(_ cursor: String?) -> SearchRequest {
        var copy = self
        copy.startingAfter = cursor
        return copy
    }
}
