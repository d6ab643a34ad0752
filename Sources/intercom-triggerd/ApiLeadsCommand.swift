import ArgumentParser
import IntercomTriggers

/// `api leads create|get|list` (the Power Automate set).
struct ApiLeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads", abstract: "Create, read and list leads.", subcommands: [Create.self, Get.self, List.self])
}

extension ApiLeadsCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a lead.")
        @OptionGroup var options: ApiOptions
        @Option var email: String?
        @Option var name: String?
        @Option var phone: String?
        @Option(help: "An avatar image URL.") var imageUrl: String?
        @Option(help: "Intercom's id of a company to attach the lead to.") var companyId: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try PersonActions.createLead(
                    email: email, name: name, phone: phone, imageURL: imageUrl, companyID: companyId)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a lead.")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The lead's id.") var id: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try PersonActions.get(id: id) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List leads (one page, or --all).")
        @OptionGroup var options: ApiOptions
        @OptionGroup var paging: ApiPagingOptions

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in PersonActions.listLeads(try paging.paging()) }
        }
    }
}
