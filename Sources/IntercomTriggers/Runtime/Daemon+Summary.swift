import ServiceLifecycle

extension Daemon {
    /// The service for the periodic info-level summary of what happened (every `[log] summary_interval`).
    func summaryService() -> (any Service)? {
        let store = self.store
        return LogSummaryService(
            telemetry: telemetry, interval: configuration.log.summaryInterval,
            destinations: configuration.destinations.map(\.name), queueDepth: { try await store.queueDepth() },
            clock: clock, logger: logger.component("summary"))
    }
}
