import ArgumentParser
import IntercomTriggers

/// `api users upsert|get` (the Power Automate set).
struct ApiUsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Create or update users by email, and read them.",
        subcommands: [Upsert.self, Get.self])
}

extension ApiUsersCommand {
    struct Upsert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Update the user with --email, or create one if there is none.")
        @OptionGroup var options: ApiOptions
        @Option var email: String?
        @Option var name: String?
        @Option var phone: String?
        @Option(help: "Intercom's id of a company to attach the user to.") var companyId: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try PersonActions.upsertUser(email: email, name: name, phone: phone, companyID: companyId)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a user.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The user's id.") var id: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try PersonActions.get(id: id) }
        }
    }
}
