/// A list's `pages` object: `{"type":"pages","next":{"page":2,"starting_after":"…"},"page":1,"per_page":5,"total_pages":4}`.
/// `per_page` may be a number or a string; `next` null or absent both mean the last page.
public struct PageInfo: Decodable, Sendable, Equatable {
    /// `pages.next`.
    public struct Next: Decodable, Sendable, Equatable {
        public var page: Int?
        /// The cursor for the next page (absent on page-numbered lists such as `/companies/list`).
        public var startingAfter: String?

        public init(page: Int?, startingAfter: String?) {
            self.page = page
            self.startingAfter = startingAfter
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            page = container.lenientInt("page")
            startingAfter = container.lenientString("starting_after")
        }
    }

    public var page: Int?
    public var perPage: Int?
    public var totalPages: Int?
    public var next: Next?

    public init(page: Int? = nil, perPage: Int? = nil, totalPages: Int? = nil, next: Next? = nil) {
        self.page = page
        self.perPage = perPage
        self.totalPages = totalPages
        self.next = next
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        page = container.lenientInt("page")
        perPage = container.lenientInt("per_page")
        totalPages = container.lenientInt("total_pages")
        next = container.lenient(Next.self, "next")
    }

    /// The object at `range` of `scanner`'s document read as `init(from:)` reads it; nil when it is not an object.
    init?(scanner: JSONScanner, at range: Range<Int>) {
        guard let members = scanner.objectMembers(at: range) else { return nil }
        func int(_ key: String) -> Int? { JSONScanner.value(key, in: members).flatMap(scanner.lenientInt(at:)) }
        page = int("page")
        perPage = int("per_page")
        totalPages = int("total_pages")
        next = JSONScanner.value("next", in: members).flatMap { range in
            scanner.objectMembers(at: range).map { next in
                Next(
                    page: JSONScanner.value("page", in: next).flatMap(scanner.lenientInt(at:)),
                    startingAfter: JSONScanner.value("starting_after", in: next).flatMap(scanner.lenientString(at:)))
            }
        }
    }
}
