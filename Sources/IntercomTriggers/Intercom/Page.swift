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
        try self.init(ListBody(body: body, itemsKey: itemsKey))
    }

    /// The page of a scanned list body: each item sliced out and decoded (bytes that are not UTF-8 replaced, as in
    /// the poller's events: ``JSONScanner/wellFormedSlice(_:)``; `JSONDecoder` refuses them, and one broken byte
    /// would fail the whole page).
    public init(_ list: ListBody) throws {
        items = try list.items.map { try Item(raw: list.scanner.wellFormedSlice($0).data) }
        pages = list.pages
        totalCount = list.member("total_count", as: Int.self)
        scrollParam = list.member("scroll_param", as: String.self)
    }
}
