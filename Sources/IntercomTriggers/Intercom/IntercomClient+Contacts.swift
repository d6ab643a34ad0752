import Foundation

extension IntercomClient {
    /// `POST /contacts` with a `create_contact_request` JSON body (needs email, external_id or role).
    public func createContact(_ body: Data) async throws -> Contact {
        try await perform(.post, "/contacts", body: body) { try Contact(raw: $0.body) }
    }

    /// `GET /contacts/{id}`.
    public func getContact(id: String) async throws -> Contact {
        try await perform(.get, "/contacts/\(Self.segment(id))") { try Contact(raw: $0.body) }
    }

    /// `PUT /contacts/{id}` with the fields to change.
    public func updateContact(id: String, _ body: Data) async throws -> Contact {
        try await perform(.put, "/contacts/\(Self.segment(id))", body: body) { try Contact(raw: $0.body) }
    }

    /// `DELETE /contacts/{id}`.
    public func deleteContact(id: String) async throws -> DeletedObject {
        try await perform(.delete, "/contacts/\(Self.segment(id))") { try DeletedObject(raw: $0.body) }
    }

    /// `GET /contacts?per_page=&starting_after=`, page after page. The order is undocumented.
    public func listContacts(perPage: Int = 150) -> some AsyncSequence<Page<Contact>, any Error> {
        PageSequence { cursor in
            try await self.listPage(path: "/contacts", itemsKey: "data", perPage: perPage, cursor: cursor)
        }
    }

    /// `POST /contacts/search`, following `pages.next.starting_after` from `request.startingAfter`.
    public func searchContacts(_ request: SearchRequest) -> some AsyncSequence<Page<Contact>, any Error> {
        PageSequence { cursor in
            try await self.searchContactsPage(cursor.map { request.startingAfter($0) } ?? request)
        }
    }

    /// `POST /contacts/search` for `query`, every page (150 per page unless told otherwise).
    public func searchContacts(
        _ query: SearchQuery, sort: SearchSort? = nil, perPage: Int = SearchRequest.maximumPerPage
    ) -> some AsyncSequence<Page<Contact>, any Error> {
        searchContacts(SearchRequest(query: query, sort: sort, perPage: perPage))
    }

    /// One page of `POST /contacts/search`.
    public func searchContactsPage(_ request: SearchRequest) async throws -> Page<Contact> {
        try await searchPage("/contacts/search", request, itemsKey: "data", Page.init)
    }

    /// One page of a search (`path` is `/contacts/search` or `/conversations/search`), scanned once and handed
    /// to `read`: the typed ``Page`` of the `search…Page` methods, or the poller's observations. A page of more than
    /// ``maximumSearchPageItems`` items is refused (`decoding`) before its items are listed.
    public func searchPage<T>(
        _ path: String, _ request: SearchRequest, itemsKey: String, _ read: (ListBody) throws -> T
    ) async throws -> T {
        try request.validate()
        return try await perform(.post, path, body: request.body, decodeValidates: true) {
            try read(ListBody(body: $0.body, itemsKey: itemsKey, maximumItems: Self.maximumSearchPageItems))
        }
    }

    /// The most items a search page may hold: Intercom returns at most the `per_page` asked for, and the daemon asks
    /// for at most ``SearchRequest/maximumPerPage`` (150); the slack tolerates an API that ignored `per_page`. A
    /// 32 MB answer of 11 million `{}` items took 3.2 s and 800 MB to read, and logged each as skipped, every poll.
    public static let maximumSearchPageItems = 1_000

    /// One page of a cursor-paged GET list.
    func listPage<Item: IntercomRecord>(
        path: String, itemsKey: String, perPage: Int, cursor: String?
    ) async throws -> Page<Item> {
        guard (1...SearchRequest.maximumPerPage).contains(perPage) else {
            throw IntercomError.invalidRequest("per_page must be between 1 and \(SearchRequest.maximumPerPage)")
        }
        var query = [URLQueryItem(name: "per_page", value: String(perPage))]
        if let cursor { query.append(URLQueryItem(name: "starting_after", value: cursor)) }
        return try await perform(.get, path, query: query) { try Page(body: $0.body, itemsKey: itemsKey) }
    }
}
