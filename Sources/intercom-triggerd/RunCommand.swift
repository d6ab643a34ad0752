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
        // SIGHUP re-reads the same file (with the same --store override); a bad one is logged, not fatal.
        let (path, override) = (options.config, options.store)
        var built = false
        do {
            try await StateStore.withOpened(configuration.store.location, role: .daemon, logger: logger) { store in
                let daemon = try await Daemon.build(configuration: configuration, logger: logger, store: store)
                built = true
                try await daemon.run(reload: { try ConfigOptions.read(path, store: override) })
            }
        } catch let error as StoreError where !built {
            printError("intercom-triggerd: \(error)")
            throw ExitCode(error.exitCode)
        }
    }
}
