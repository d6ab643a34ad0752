import ArgumentParser
import IntercomTriggers

/// `api ticket-types list`.
struct ApiTicketTypesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket-types", abstract: "List the ticket types (their ids are what creating a ticket needs).",
        subcommands: [List.self])
}

extension ApiTicketTypesCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every ticket type with its attributes and states, as Intercom's list object.")
        @OptionGroup var options: ApiOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in TicketTypeActions.list() }
        }
    }
}
