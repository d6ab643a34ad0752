import Foundation

/// Reads a resource's stream through Intercom search, 150 items a page. Each page is scanned once and each
/// item read straight from its bytes (``Observation/init(resource:at:in:)``): no typed model is decoded on
/// the poller's path. An item that cannot be read is left out of the page's items and listed in its
/// ``ObservationPage/skipped``: one bad item never fails a page.
public struct IntercomObservationSource: ObservationSource {
    let client: IntercomClient

    public init(client: IntercomClient) {
        self.client = client
    }

    public func serverNow() -> Date? { client.serverNow() }

    public func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage {
        let search = SearchRequest(query: request.query, sort: request.sort, startingAfter: cursor)
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
