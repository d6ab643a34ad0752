import ArgumentParser
import IntercomTriggers

/// `--per-page`, `--starting-after` and `--all` of list and search commands.
struct ApiPagingOptions: ParsableArguments {
    @Option(help: "Items per page, 1–150 (default 50; 150 with --all).")
    var perPage: Int?

    @Option(help: "The cursor of the page to start after (pages.next.starting_after).")
    var startingAfter: String?

    @Flag(help: "Stream every page as JSON lines, with progress on stderr.")
    var all = false

    func paging() throws(ActionUsageError) -> ListPaging {
        try ListPaging(perPage: perPage, startingAfter: startingAfter, all: all)
    }
}
