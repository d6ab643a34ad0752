extension DaemonConfiguration {
    /// `[poll]`: how often Intercom is read and how late a record may show up in search.
    public struct Poll: Sendable, Equatable {
        public var interval: Duration
        /// A version whose search visibility lags its timestamp by at most this much still fires, once.
        public var lookback: Duration
        /// How many page requests the workspaces' polls have in flight at once (`[poll] concurrency`; the daemon's,
        /// not a workspace's).
        public var concurrency: Int

        /// The default of ``concurrency``: room for several slow workspaces beside the others (an idle workspace's
        /// poll is a request or two of a few milliseconds).
        public static let defaultConcurrency = 16

        public init(
            interval: Duration = .seconds(120), lookback: Duration = .seconds(600),
            concurrency: Int = Self.defaultConcurrency
        ) {
            self.interval = interval
            self.lookback = lookback
            self.concurrency = concurrency
        }
    }
}
