import Foundation

extension IntercomClient {
    /// `POST /companies`: creates or updates the company with the body's `company_id`.
    public func upsertCompany(_ body: Data) async throws -> Company {
        try await perform(.post, "/companies", body: body) { try Company(raw: $0.body) }
    }

    /// `GET /companies/{id}` (Intercom's id).
    public func getCompany(id: String) async throws -> Company {
        try await perform(.get, "/companies/\(Self.segment(id))") { try Company(raw: $0.body) }
    }

    /// `POST /companies/list?page=&per_page=`: one page-numbered page (companies with users only;
    /// Intercom refuses to go past 10,000 companies — use `scrollCompanies()` for more).
    public func listCompanies(page: Int = 1, perPage: Int = 50) async throws -> Page<Company> {
        guard page >= 1, (1...SearchRequest.maximumPerPage).contains(perPage) else {
            throw IntercomError.invalidRequest("page must be ≥ 1 and per_page between 1 and 150")
        }
        let query = [
            URLQueryItem(name: "page", value: String(page)), URLQueryItem(name: "per_page", value: String(perPage)),
        ]
        return try await perform(.post, "/companies/list", query: query) { try Page(body: $0.body, itemsKey: "data") }
    }

    /// `GET /companies/scroll`, following `scroll_param` until a page comes back empty (that last,
    /// empty page is included). Intercom allows one open scroll per workspace, and names the same
    /// `scroll_param` on every page of it.
    public func scrollCompanies() -> some AsyncSequence<Page<Company>, any Error> {
        PageSequence(
            fetch: { scrollParam in
                let query = scrollParam.map { [URLQueryItem(name: "scroll_param", value: $0)] } ?? []
                let page = try await self.perform(.get, "/companies/scroll", query: query) {
                    try Page<Company>(body: $0.body, itemsKey: "data")
                }
                // Without it the scroll could not go on: an error, not a silently short listing.
                if !page.items.isEmpty, page.scrollParam?.isEmpty ?? true {
                    throw IntercomError.invalidResponse("a companies scroll page without scroll_param")
                }
                return page
            },
            nextCursor: { $0.items.isEmpty ? nil : $0.scrollParam }, cursorRepeats: true)
    }
}
