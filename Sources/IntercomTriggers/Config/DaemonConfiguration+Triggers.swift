extension DaemonConfiguration {
    /// `[triggers]`: which topics are polled and from when.
    public struct Triggers: Sendable, Equatable {
        /// In the order written; all from ``TopicCatalog/all``.
        public var topics: [Topic]
        public var start: StartPoint

        public init(topics: [Topic] = TopicCatalog.defaults, start: StartPoint = .now) {
            self.topics = topics
            self.start = start
        }
    }
}
