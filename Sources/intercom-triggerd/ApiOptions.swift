import ArgumentParser
import IntercomTriggers

/// `--config` and `--pretty`, shared by every `api` command, and the way they all run: validate the
/// input (exit 64, before the configuration is even read), load the configuration (exit 78), then
/// send and print through `ActionRunner`.
struct ApiOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions

    @Flag(help: "Indent the JSON object printed on stdout.")
    var pretty = false

    @Option(help: "The workspace to act on (needed when several are configured).")
    var workspace: String?

    /// Runs the action; `afterSuccess` runs with the configuration and the workspace acted on once Intercom
    /// accepted it.
    func run(
        _ build: () throws(ActionUsageError) -> any ApiAction,
        afterSuccess: (DaemonConfiguration, DaemonConfiguration.Workspace) async -> Void = { _, _ in }
    ) async throws {
        let action: any ApiAction
        do {
            action = try build()
        } catch {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(ActionUsageError.exitCode)
        }
        let configuration = try config.load()
        let served: DaemonConfiguration.Workspace
        do {
            served = try configuration.servedWorkspace(named: workspace)
        } catch {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(ActionUsageError.exitCode)
        }
        bootstrapLogging(.warning)
        let client = IntercomClient(configuration: served.intercom.clientConfiguration)
        let code = await ActionRunner(client: client, pretty: pretty).run { action }
        if code != 0 { throw ExitCode(code) }
        await afterSuccess(configuration, served)
    }
}
