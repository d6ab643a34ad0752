/// `--per-page`, `--starting-after` and `--all` of a list or search command.
public struct ListPaging: Sendable, Equatable {
    public var perPage: Int
    public var startingAfter: String?
    /// Every page from `startingAfter` on, as JSON lines with progress on stderr.
    public var all: Bool

    /// Refuses a page size outside 1…150.
    public init(perPage: Int? = nil, startingAfter: String? = nil, all: Bool = false) throws(ActionUsageError) {
        let size = perPage ?? (all ? SearchRequest.maximumPerPage : 50)
        guard (1...SearchRequest.maximumPerPage).contains(size) else {
            throw ActionUsageError("--per-page must be between 1 and \(SearchRequest.maximumPerPage), not \(size)")
        }
        self.perPage = size
        self.startingAfter = startingAfter
        self.all = all
    }
}
