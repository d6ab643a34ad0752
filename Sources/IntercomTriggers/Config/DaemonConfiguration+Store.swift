extension DaemonConfiguration {
    /// `[store]`: where the SQLite state lives.
    public struct Store: Sendable, Equatable {
        /// Used when neither `[store] path` nor `$STATE_DIRECTORY` is set.
        public static let fallbackPath = "/var/lib/intercom-triggerd/state.sqlite"

        /// Absolute: a relative `path` is taken relative to the configuration file's directory.
        public var path: String

        public init(path: String) {
            self.path = path
        }

        /// `$STATE_DIRECTORY/state.sqlite` (the first directory, when systemd lists several), else ``fallbackPath``.
        public static func defaultPath(environment: [String: String]) -> String {
            let directories = (environment["STATE_DIRECTORY"] ?? "").split(separator: ":")
            guard let first = directories.first(where: { !$0.isEmpty }) else { return fallbackPath }
            return first.hasSuffix("/") ? "\(first)state.sqlite" : "\(first)/state.sqlite"
        }
    }
}
