import ArgumentParser
import Foundation
import IntercomTriggers

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "Deliveries whose retry schedule is exhausted.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Only this destination's dead letters.")
    var destination: String?

    @OptionGroup var workspace: WorkspaceOption

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await options.withStore { configuration, store in
            let scope = try options.scope(
                workspace.workspace, among: try await options.workspaces(configuration, store: store))
            let letters =
                if scope == .unregistered { [DeadLetter]() } else {
                    try await store.deadLetters(destination: destination, workspace: scope.workspace)
                }
            if json {
                FileHandle.standardOutput.write(try DeliveryAdmin.json(letters) + Data("\n".utf8))
            } else {
                print(DeliveryAdmin.text(letters))
            }
        }
    }
}
