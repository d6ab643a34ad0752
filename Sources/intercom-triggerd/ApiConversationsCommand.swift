import ArgumentParser
import IntercomTriggers

/// `api conversations get|list|search|reply`.
struct ApiConversationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversations", abstract: "Read, list, search and reply to conversations.",
        subcommands: [Get.self, List.self, Search.self, Reply.self])
}

extension ApiConversationsCommand {
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a conversation with its parts.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The conversation's id.") var id: String?
        @Flag(help: "Bodies as plain text instead of HTML.") var plaintext = false
        @Flag(help: "Include translations of the parts.") var includeTranslations = false

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try ConversationActions.get(id: id, plaintext: plaintext, includeTranslations: includeTranslations)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List conversations (one page, or --all).")
        @OptionGroup var options: ApiOptions
        @Option(help: "Field to sort by.") var sort: String?
        @Option(help: "asc or desc.") var order: String?
        @OptionGroup var paging: ApiPagingOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try ConversationActions.list(sort: sort, order: order, try paging.paging())
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search conversations with a JSON query.")
        @OptionGroup var options: ApiOptions
        @Option(help: "The query as JSON.") var query: String?
        @Option(help: "Field to sort by.") var sortField: String?
        @Option(help: "ascending or descending.") var sortOrder: String?
        @OptionGroup var paging: ApiPagingOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try ConversationActions.search(
                    query: query, sortField: sortField, sortOrder: sortOrder, try paging.paging())
            }
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reply to a conversation as an admin.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The conversation's id.") var id: String?
        @Option(help: "comment or note.") var type: String?
        @Option(help: "The reply's text (HTML allowed).") var body: String?
        @Option(help: "The replying admin (default: the token's admin).") var adminId: String?
        @Option(help: "Comma-separated URLs.") var attachmentUrls: String?
        @Option(help: "Unix seconds.") var createdAt: Int?

        func run() async throws {
            let urls = attachmentUrls.map { $0.split(separator: ",").map { String($0) } } ?? []
            try await options.run { () throws(ActionUsageError) in
                try ConversationActions.reply(
                    id: id, type: type, body: body, adminID: adminId, attachmentURLs: urls, createdAt: createdAt)
            }
        }
    }
}
