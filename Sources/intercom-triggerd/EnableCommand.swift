import ArgumentParser
import IntercomTriggers

struct EnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Re-enable a destination disabled after HTTP 410.",
        discussion: "Works while the daemon runs; its lane resumes at its next look at the store.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The destination to re-enable.")
    var destination: String

    func run() async throws {
        try await options.withStore { configuration, store in
            try await options.checkDestination(destination, in: configuration, store: store)
            if try await DeliveryAdmin.enable(store: store, destination: destination) {
                print("enabled \(destination); its pending events are delivered again")
            } else {
                print("\(destination) was not disabled")
            }
        }
    }
}
