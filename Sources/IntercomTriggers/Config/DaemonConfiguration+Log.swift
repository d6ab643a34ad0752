import Logging

extension DaemonConfiguration {
    /// `[log]`: what the daemon logs to stderr.
    public struct Log: Sendable, Equatable {
        public var level: Logger.Level

        public init(level: Logger.Level = .info) {
            self.level = level
        }
    }
}
