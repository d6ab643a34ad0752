extension DaemonConfiguration {
    /// `[delivery]`: settings shared by every destination.
    public struct Delivery: Sendable, Equatable {
        /// Delivered outbox rows older than this are pruned; dead letters are kept.
        public var retention: Duration

        public init(retention: Duration = .seconds(7 * 86_400)) {
            self.retention = retention
        }
    }
}
