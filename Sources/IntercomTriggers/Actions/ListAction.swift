import Foundation

/// A cursor-paged list or search: one page printed as Intercom's list object, or with `--all`
/// every item as a JSON line, following `pages.next.starting_after`, with a progress line per page.
public struct ListAction: ApiAction {
    /// Fetches the page after a cursor (nil: the first page): the body and its parsed page.
    public typealias Fetch =
        @Sendable (_ client: IntercomClient, _ perPage: Int, _ cursor: String?) async throws -> (Data, Page<RawRecord>)

    /// What the items are called in progress lines (`contacts`).
    public var noun: String
    public var paging: ListPaging
    let fetch: Fetch

    public init(noun: String, paging: ListPaging, fetch: @escaping Fetch) {
        self.noun = noun
        self.paging = paging
        self.fetch = fetch
    }

    /// A GET list (`/contacts`, `/conversations`) with `per_page` and `starting_after` in the query.
    public static func get(
        noun: String, path: String, itemsKey: String, paging: ListPaging, query extra: [URLQueryItem] = []
    ) -> ListAction {
        ListAction(noun: noun, paging: paging) { client, perPage, cursor in
            var query = [URLQueryItem(name: "per_page", value: String(perPage))]
            if let cursor { query.append(URLQueryItem(name: "starting_after", value: cursor)) }
            return try await client.perform(.get, path, query: query + extra) {
                ($0.body, try Page<RawRecord>(body: $0.body, itemsKey: itemsKey))
            }
        }
    }

    /// A search (`POST /contacts/search`) with the user's `query` JSON and an optional sort.
    public static func search(
        noun: String, path: String, itemsKey: String, query: String, sort: (field: String, order: String)?,
        paging: ListPaging
    ) -> ListAction {
        ListAction(noun: noun, paging: paging) { client, perPage, cursor in
            var pagination = JSONBodyBuilder()
            pagination.int("per_page", perPage)
            pagination.string("starting_after", cursor)
            var body = JSONBodyBuilder()
            body.raw("query", query)
            body.raw("pagination", pagination.json)
            if let sort {
                var order = JSONBodyBuilder()
                order.string("field", sort.field)
                order.string("order", sort.order)
                body.raw("sort", order.json)
            }
            return try await client.perform(.post, path, body: body.data) {
                ($0.body, try Page<RawRecord>(body: $0.body, itemsKey: itemsKey))
            }
        }
    }

    public func perform(in context: ActionContext) async throws {
        guard paging.all else {
            let (body, _) = try await fetch(context.client, paging.perPage, paging.startingAfter)
            context.printObject(body)
            return
        }
        var cursor = paging.startingAfter
        var pages = 0
        var items = 0
        while true {
            let (_, page) = try await fetch(context.client, paging.perPage, cursor)
            pages += 1
            items += page.items.count
            for item in page.items { context.printLine(item.raw) }
            context.progress(
                "\(noun): page \(pages), \(items)" + (page.totalCount.map { " of \($0)" } ?? "") + " so far")
            guard let next = page.nextCursor, !next.isEmpty else { break }
            guard next != cursor else {
                throw IntercomError.invalidResponse("the next-page cursor repeats the current one")
            }
            cursor = next
        }
        context.progress("\(noun): done, \(items) in \(pages) page\(pages == 1 ? "" : "s")")
    }
}
