import Foundation

/// `api companies list`: one page of `POST /companies/list`, or with `--all` every company as JSON
/// lines — by page number while the workspace has at most 10,000 companies (Intercom refuses to page
/// past that), otherwise through the scroll API from the start.
public struct CompanyListAction: ApiAction {
    /// The most companies `/companies/list` pages through.
    public static let listCap = 10_000

    public var page: Int
    public var perPage: Int
    public var all: Bool

    public init(page: Int? = nil, perPage: Int? = nil, all: Bool = false) throws(ActionUsageError) {
        let paging = try ListPaging(perPage: perPage ?? 50, all: all)
        guard (page ?? 1) >= 1 else { throw ActionUsageError("--page must be 1 or more") }
        self.page = page ?? 1
        self.perPage = paging.perPage
        self.all = all
    }

    public func perform(in context: ActionContext) async throws {
        guard all else {
            let (body, _) = try await listPage(page, context.client)
            context.printObject(body)
            return
        }
        var emitted = Set<String>()
        var number = page
        var pages = 0
        while true {
            let result: Page<Company>
            do {
                result = try await listPage(number, context.client).1
            } catch IntercomError.api(let status, _, _, _) where status == 400 && !emitted.isEmpty {
                // The list grew past the cap while paging: finish with the scroll, skipping what was printed.
                context.progress("companies: page \(number) is past Intercom's list cap; switching to the scroll API")
                try await scroll(context, skipping: emitted)
                return
            }
            if let total = result.totalCount, total > Self.listCap {
                context.progress(
                    "companies: \(total) companies exceed the \(Self.listCap) list cap; using the scroll API")
                try await scroll(context, skipping: emitted)
                return
            }
            pages += 1
            for company in result.items where emitted.insert(company.id).inserted { context.printLine(company.raw) }
            context.progress(
                "companies: page \(pages), \(emitted.count)" + (result.totalCount.map { " of \($0)" } ?? "")
                    + " so far")
            let totalPages = result.pages?.totalPages ?? number
            guard result.pages?.next != nil || number < totalPages, !result.items.isEmpty else { break }
            number += 1
        }
        context.progress("companies: done, \(emitted.count) in \(pages) page\(pages == 1 ? "" : "s")")
    }

    private func listPage(_ number: Int, _ client: IntercomClient) async throws -> (Data, Page<Company>) {
        let query = [
            URLQueryItem(name: "page", value: String(number)), URLQueryItem(name: "per_page", value: String(perPage)),
        ]
        return try await client.perform(.post, "/companies/list", query: query) {
            ($0.body, try Page<Company>(body: $0.body, itemsKey: "data"))
        }
    }

    /// Follows the scroll API (`IntercomClient.scrollCompanies()`) to its empty last page.
    private func scroll(_ context: ActionContext, skipping printed: Set<String>) async throws {
        var emitted = printed
        var pages = 0
        for try await page in context.client.scrollCompanies() {
            guard !page.items.isEmpty else { break }
            pages += 1
            for company in page.items where emitted.insert(company.id).inserted { context.printLine(company.raw) }
            context.progress("companies (scroll): page \(pages), \(emitted.count) so far")
        }
        context.progress("companies: done, \(emitted.count) through the scroll API in \(pages) pages")
    }
}
