import ArgumentParser
import IntercomTriggers

/// `api tickets create|get`.
struct ApiTicketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets", abstract: "Create and read tickets.", subcommands: [Create.self, Get.self])
}

extension ApiTicketsCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a ticket.")
        @OptionGroup var options: ApiOptions
        @Option(help: "The ticket type's id (`api ticket-types list` shows them).") var ticketTypeId: String?
        @Option(help: #"A JSON array, e.g. '[{"id":"…"}]'."#) var contacts: String?
        @Option(help: "The ticket attributes as a JSON object.") var attributes: String?
        @Option var companyId: String?
        @Option(help: "Unix seconds.") var createdAt: Int?
        @Option(help: "A conversation id to link the ticket to.") var linkConversation: String?
        @Flag(help: "Do not notify the contacts.") var disableNotifications = false

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try TicketActions.create(
                    ticketTypeID: ticketTypeId, contacts: contacts, attributes: attributes, companyID: companyId,
                    createdAt: createdAt, linkConversation: linkConversation,
                    disableNotifications: disableNotifications)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a ticket.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The ticket's id.") var id: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try TicketActions.get(id: id) }
        }
    }
}
