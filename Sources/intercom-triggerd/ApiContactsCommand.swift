import ArgumentParser
import IntercomTriggers

/// `api contacts create|get|update|delete|list|search`.
struct ApiContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts", abstract: "Create, read, update, delete, list and search contacts.",
        subcommands: [Create.self, Get.self, Update.self, Delete.self, List.self, Search.self])
}

extension ApiContactsCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a contact (a lead unless --role user).")
        @OptionGroup var options: ApiOptions
        @OptionGroup var fields: ApiContactFieldOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try ContactActions.create(fields.fields) }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a contact.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The contact's id.") var id: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try ContactActions.get(id: id) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Update a contact's fields.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The contact's id.") var id: String?
        @OptionGroup var fields: ApiContactFieldOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try ContactActions.update(id: id, fields.fields) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a contact.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The contact's id.") var id: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try ContactActions.delete(id: id)
            } afterSuccess: {
                if let id,
                    let warning = await DeletedContactSnapshot.forget(id, store: $0.store, workspace: $1.name)
                {
                    printError("intercom-triggerd: \(warning)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List contacts (one page, or --all).")
        @OptionGroup var options: ApiOptions
        @OptionGroup var paging: ApiPagingOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in ContactActions.list(try paging.paging()) }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search contacts with a JSON query.")
        @OptionGroup var options: ApiOptions
        @Option(help: #"The query, e.g. '{"field":"role","operator":"=","value":"user"}'."#) var query: String?
        @Option(help: "Field to sort by.") var sortField: String?
        @Option(help: "ascending or descending.") var sortOrder: String?
        @OptionGroup var paging: ApiPagingOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try ContactActions.search(
                    query: query, sortField: sortField, sortOrder: sortOrder, try paging.paging())
            }
        }
    }
}
