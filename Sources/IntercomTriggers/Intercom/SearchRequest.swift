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
    public var json: String { String(decoding: bytes, as: UTF8.self) }

    /// The request body as bytes.
    public var body: Data { Data(bytes) }

    /// The body, written piece by piece into one buffer (a poll sends one per resource and cycle).
    private var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320)
        bytes.append(contentsOf: #"{"query":"#.utf8)
        query.appendJSON(to: &bytes)
        bytes.append(contentsOf: #","pagination":{"per_page":"#.utf8)
        bytes.append(contentsOf: String(perPage).utf8)
        if let startingAfter {
            bytes.append(contentsOf: #","starting_after":"#.utf8)
            JSONText.append(startingAfter, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        if let sort {
            bytes.append(contentsOf: #","sort":{"field":"#.utf8)
            JSONText.append(sort.field, to: &bytes)
            bytes.append(contentsOf: #","order":""#.utf8)
            bytes.append(contentsOf: sort.order.rawValue.utf8)
            bytes.append(contentsOf: #""}"#.utf8)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// This request for the page after `cursor`.
    public func startingAfter(_ cursor: String?) -> SearchRequest {
        var copy = self
        copy.startingAfter = cursor
        return copy
    }
}
