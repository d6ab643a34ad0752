import ArgumentParser
import IntercomTriggers

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration and print it resolved, secrets redacted.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = try options.load()
        for warning in configuration.warnings { printError("warning: \(warning)") }
        print(configuration.render())
    }
}
