import ArgumentParser
import IntercomTriggers

/// `api companies upsert|get|list`.
struct ApiCompaniesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "companies", abstract: "Create or update, read and list companies.",
        subcommands: [Upsert.self, Get.self, List.self])
}

extension ApiCompaniesCommand {
    struct Upsert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or update the company with --company-id.")
        @OptionGroup var options: ApiOptions
        @Option(help: "Your id for the company (the upsert key).") var companyId: String?
        @Option var name: String?
        @Option var website: String?
        @Option var plan: String?
        @Option var size: Int?
        @Option var industry: String?
        @Option(help: "Truncated to an integer, as Intercom does.") var monthlySpend: Double?
        @Option(help: "A JSON object.") var customAttributes: String?
        @Option(help: "Unix seconds.") var remoteCreatedAt: Int?

        func run() async throws {
            let fields = CompanyFields(
                companyID: companyId, name: name, website: website, plan: plan, size: size, industry: industry,
                monthlySpend: monthlySpend, customAttributes: customAttributes, remoteCreatedAt: remoteCreatedAt)
            try await options.run { () throws(ActionUsageError) in try CompanyActions.upsert(fields) }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a company (Intercom's id).")
        @OptionGroup var options: ApiOptions
        @Argument(help: "The company's Intercom id.") var id: String?

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in try CompanyActions.get(id: id) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List companies (one page, or --all; past 10,000 companies --all uses the scroll API).")
        @OptionGroup var options: ApiOptions
        @Option(help: "The page number (from 1).") var page: Int?
        @Option(help: "Companies per page, 1–150 (default 50).") var perPage: Int?
        @Flag(help: "Stream every company as JSON lines, with progress on stderr.") var all = false

        func run() async throws {
            try await options.run { () throws(ActionUsageError) in
                try CompanyActions.list(page: page, perPage: perPage, all: all)
            }
        }
    }
}
