/// One page of search or list results.
struct SearchPage<Record> {
    var records: [Record]
    var totalCount: Int
    var page: Int
    var perPage: Int
    /// The cursor for the following page, `nil` on the last one.
    var next: SearchCursor?

    var totalPages: Int { totalCount == 0 ? 0 : (totalCount + perPage - 1) / perPage }

    /// `cursor_pages`: `next` only when more pages exist.
    func pagesJSON() -> JSONValue {
        var object = JSONObject()
        object["type"] = "pages"
        if let next {
            object["next"] = [
                "page": .int(next.page), "starting_after": .string(next.encoded), "per_page": .int(perPage),
            ]
        }
        object["page"] = .int(page)
        object["per_page"] = .int(perPage)
        object["total_pages"] = .int(totalPages)
        return .object(object)
    }
}
