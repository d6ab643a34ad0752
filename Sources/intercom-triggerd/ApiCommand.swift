import ArgumentParser

/// `intercom-triggerd api …`: Intercom's actions, through the daemon's client and configuration.
struct ApiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract:
            "Act on Intercom: contacts, companies, conversations, tickets and their types, messages, users and leads.",
        subcommands: [
            ApiContactsCommand.self, ApiCompaniesCommand.self, ApiConversationsCommand.self, ApiTicketsCommand.self,
            ApiTicketTypesCommand.self, ApiMessagesCommand.self, ApiUsersCommand.self, ApiLeadsCommand.self,
        ]
    )
}
