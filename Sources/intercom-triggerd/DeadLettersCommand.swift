import ArgumentParser
import Foundation
import IntercomTriggers

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "Deliveries whose retry schedule is exhausted.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Only this destination's dead letters.")
    var destination: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let store = try options.openStore().store
        defer { try? store.close() }
        let letters = try await store.deadLetters(destination: destination)
        if json {
            FileHandle.standardOutput.write(try DeliveryAdmin.json(letters) + Data("\n".utf8))
        } else {
            print(DeliveryAdmin.text(letters))
        }
    }
}
