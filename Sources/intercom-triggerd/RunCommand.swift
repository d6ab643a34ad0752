import ArgumentParser
import IntercomTriggers
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon in the foreground (systemd runs this).")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var logging: LogLevelOptions

    func run() async throws {
        let configuration = try options.load()
        bootstrapLogging(logging.level(or: configuration.log.level))
        let logger = Logger(label: "intercom-triggerd")
        for warning in configuration.warnings { logger.warning("\(warning)") }
        ProcessSignals.ignoreSIGPIPE()
        try options.actAsStoreOwner(configuration)
        let daemon: Daemon
        do {
            daemon = try await Daemon.build(configuration: configuration, logger: logger)
        } catch let error as StoreError {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(error.exitCode)
        }
        // SIGHUP re-reads the same file (with the same --store override); a bad one is logged, not fatal.
        let (path, store) = (options.config, options.store)
        try await daemon.run(reload: { try ConfigOptions.read(path, store: store) })
    }
}
