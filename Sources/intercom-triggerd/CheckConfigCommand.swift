import ArgumentParser
import IntercomTriggers

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration and print it resolved, secrets redacted.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = try options.load()
        // A warning reads `FILE:LINE: warning: PROBLEM (fix: FIX)` by itself, as a compiler's does.
        for warning in configuration.warnings { printError("\(warning)") }
        print(configuration.render())
    }
}
