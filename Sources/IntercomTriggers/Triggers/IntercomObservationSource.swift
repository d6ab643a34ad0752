import Foundation

/// Reads a resource's stream through Intercom search: a read's first page holds its request's
/// ``StreamRequest/firstPageSize`` items, every later one 150 (Intercom's most). Each page is scanned once and each
/// item read straight from its bytes (``Observation/init(resource:at:in:)``): no typed model is decoded on
/// the poller's path. An item that cannot be read is left out of the page's items and listed in its
/// ``ObservationPage/skipped``: one bad item never fails a page.
public struct IntercomObservationSource: ObservationSource {
    let client: IntercomClient

    public init(client: IntercomClient) {
        self.client = client
    }

    public func serverNow() -> Date? { client.serverNow() }

    /// Intercom's `starting_after` is a search-after cursor (the last item's sort value and id), so the page size
    /// may change from one page to the next.
    public func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage {
        let size =
            cursor == nil
            ? min(max(request.firstPageSize, 1), SearchRequest.maximumPerPage) : SearchRequest.maximumPerPage
        let search = SearchRequest(query: request.query, sort: request.sort, perPage: size, startingAfter: cursor)
        let (path, itemsKey) =
            switch request.resource {
            case .contacts: ("/contacts/search", "data")
            case .conversations: ("/conversations/search", "conversations")
            }
        return try await client.searchPage(path, search, itemsKey: itemsKey) { list in
            var page = ObservationPage(items: [], nextCursor: list.pages?.next?.startingAfter)
            page.items.reserveCapacity(list.items.count)
            for range in list.items {
                do throws(SkippedItem) {
                    page.items.append(try Observation(resource: request.resource, at: range, in: list.scanner))
                } catch {
                    page.skipped.append(error)
                }
            }
            return page
        }
    }
}
