import Logging

extension DaemonConfiguration {
    /// `[log]`: what the daemon logs to stderr.
    public struct Log: Sendable, Equatable {
        public var level: Logger.Level
        /// How often one info line sums up what happened since the last one.
        public var summaryInterval: Duration

        public init(level: Logger.Level = .info, summaryInterval: Duration = .seconds(3_600)) {
            self.level = level
            self.summaryInterval = summaryInterval
        }
    }
}
