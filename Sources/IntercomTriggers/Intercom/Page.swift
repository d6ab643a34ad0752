import Foundation

/// One page of an Intercom list or search: the items (each with its raw bytes) and the paging
/// metadata. Built by slicing the item array out of the body, never by re-encoding it.
public struct Page<Item: IntercomRecord>: Sendable {
    public var items: [Item]
    /// `pages`, when the list has one (scroll pages have `null`).
    public var pages: PageInfo?
    /// `total_count`, when present.
    public var totalCount: Int?
    /// `scroll_param` of a companies scroll page.
    public var scrollParam: String?

    /// The cursor for the next page; nil on the last page.
    public var nextCursor: String? { pages?.next?.startingAfter }

    public init(items: [Item], pages: PageInfo? = nil, totalCount: Int? = nil, scrollParam: String? = nil) {
        self.items = items
        self.pages = pages
        self.totalCount = totalCount
        self.scrollParam = scrollParam
    }

    /// Parses a list body whose items are the array under `itemsKey` (`data` for contacts and
    /// companies, `conversations` for conversations, `admins` for admins).
    ///
    /// Throws `JSONScanner.SyntaxError` when the body is not valid JSON (e.g. truncated), and
    /// `DecodingError` when it is valid JSON of the wrong shape.
    public init(body: Data, itemsKey: String) throws {
        let scanner = JSONScanner(body)
        let root = try scanner.validate()
        guard scanner.bytes[root.lowerBound] == UInt8(ascii: "{") else {
            throw DecodingError.typeMismatch(
                [String: String].self, .init(codingPath: [], debugDescription: "a list body must be an object"))
        }
        let members = try scanner.members(ofObjectAt: root)
        guard let itemsRange = members.last(where: { $0.key == itemsKey })?.value,
            scanner.bytes[itemsRange.lowerBound] == UInt8(ascii: "[")
        else {
            throw DecodingError.keyNotFound(
                AnyKey(itemsKey), .init(codingPath: [], debugDescription: "no '\(itemsKey)' array in the list"))
        }
        items = try scanner.elements(ofArrayAt: itemsRange).map { try Item(raw: scanner.slice($0)) }
        let decoder = JSONDecoder()
        func member<T: Decodable>(_ key: String, as type: T.Type) -> T? {
            guard let range = members.last(where: { $0.key == key })?.value, !scanner.isNull(range) else { return nil }
            return try? decoder.decode(type, from: scanner.slice(range))
        }
        pages = member("pages", as: PageInfo.self)
        totalCount = member("total_count", as: Int.self)
        scrollParam = member("scroll_param", as: String.self)
    }
}
