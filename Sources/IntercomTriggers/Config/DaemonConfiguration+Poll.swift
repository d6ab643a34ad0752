extension DaemonConfiguration {
    /// `[poll]`: how often Intercom is read and how late a record may show up in search.
    public struct Poll: Sendable, Equatable {
        public var interval: Duration
        /// A version whose search visibility lags its timestamp by at most this much still fires, once.
        public var lookback: Duration

        public init(interval: Duration = .seconds(120), lookback: Duration = .seconds(600)) {
            self.interval = interval
            self.lookback = lookback
        }
    }
}
