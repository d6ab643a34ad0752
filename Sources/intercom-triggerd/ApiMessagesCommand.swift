import ArgumentParser
import IntercomTriggers

/// `api messages create`.
struct ApiMessagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "Send admin-initiated messages.", subcommands: [Create.self])
}

extension ApiMessagesCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send an in-app or email message to a contact.")
        @OptionGroup var options: ApiOptions
        @Option(help: "inapp or email.") var type: String?
        @Option(help: "plain or personal (email only; default plain).") var template: String?
        @Option(help: "Required for email.") var subject: String?
        @Option var body: String?
        @Option(help: "The sending admin's id.") var fromAdmin: String?
        @Option(help: "The recipient contact's id.") var toContact: String?
        @Option(help: "Unix seconds.") var createdAt: Int?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try MessageActions.create(
                    type: type, template: template, subject: subject, body: body, fromAdmin: fromAdmin,
                    toContact: toContact, createdAt: createdAt)
            }
        }
    }
}
