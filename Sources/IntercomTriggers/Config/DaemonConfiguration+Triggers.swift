extension DaemonConfiguration {
    /// `[triggers]`: which topics are polled and from when, and which attributes are not changes.
    public struct Triggers: Sendable, Equatable {
        /// The attributes Intercom moves on activity rather than on an edit (from the 2.16 contact schema;
        /// docs/decisions.md says why for each): an update that moves only these fires nothing.
        public static let defaultIgnoreFields: [String] = [
            "updated_at", "last_seen_at", "android_last_seen_at", "ios_last_seen_at", "last_replied_at",
            "last_contacted_at", "last_email_opened_at", "last_email_clicked_at", "browser", "browser_version",
            "browser_language", "os", "android_app_name", "android_app_version", "android_device",
            "android_os_version", "android_sdk_version", "ios_app_name", "ios_app_version", "ios_device",
            "ios_os_version", "ios_sdk_version", "location",
        ]

        /// In the order written; all from ``TopicCatalog/all``.
        public var topics: [Topic]
        public var start: StartPoint
        /// `ignore_fields`: attribute paths (dotted; a path covers everything under it) that are not changes:
        /// left out of an update's `changes`, and an update whose only differences are here is suppressed
        /// (recorded as seen, counted, no event). `updated_at` is never a change, listed or not.
        public var ignoreFields: [String]

        public init(
            topics: [Topic] = TopicCatalog.defaults, start: StartPoint = .now,
            ignoreFields: [String] = defaultIgnoreFields
        ) {
            self.topics = topics
            self.start = start
            self.ignoreFields = ignoreFields
        }
    }
}
