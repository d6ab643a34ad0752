import ArgumentParser
import IntercomTriggers

@main
struct IntercomTriggerd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intercom-triggerd",
        abstract: "Intercom triggers (new lead, new user, updated user, new conversation) as webhooks or stdout.",
        version: IntercomTriggers.version,
        subcommands: [
            ApiCommand.self,
            RunCommand.self, CheckConfigCommand.self, StatusCommand.self, ResetCommand.self, TailCommand.self,
            DemoCommand.self, EnableCommand.self, DeadLettersCommand.self, ReplayCommand.self,
        ]
    )
}
