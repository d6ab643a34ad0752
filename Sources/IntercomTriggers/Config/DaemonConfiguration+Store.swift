extension DaemonConfiguration {
    /// `[store]`: where the state lives — a SQLite file (`path`, the default) or a PostgreSQL database that several
    /// daemons share (`url`, #16).
    public struct Store: Sendable, Equatable {
        /// Used when neither `[store] path` nor `$STATE_DIRECTORY` is set.
        public static let fallbackPath = "/var/lib/intercom-triggerd/state.sqlite"

        /// Absolute: a relative `path` is taken relative to the configuration file's directory. Unused with
        /// ``postgres``.
        public var path: String
        /// The PostgreSQL database of `[store] url`, with its password from wherever it was found; nil: the SQLite
        /// file at ``path``.
        public var postgres: PostgresStoreLocation?

        /// How long a workspace's lease lasts unless its daemon renews it (a shared store): how soon another daemon
        /// takes over a workspace whose daemon died or was cut off.
        public var lease: Duration = .seconds(30)

        public init(path: String, postgres: PostgresStoreLocation? = nil, lease: Duration = .seconds(30)) {
            self.path = path
            self.postgres = postgres
            self.lease = lease
        }

        /// Where the store is, for ``StateStore/withOpened(_:role:logger:_:)``.
        public var location: StateStore.Location {
            postgres.map { .postgres($0) } ?? .sqlite(path: path)
        }

        /// The store as logs and `status` name it: the file's path, or the URL without its password.
        public var displayName: String { postgres?.redacted ?? path }

        /// `$STATE_DIRECTORY/state.sqlite` (the first directory, when systemd lists several), else ``fallbackPath``.
        public static func defaultPath(environment: [String: String]) -> String {
            let directories = (environment["STATE_DIRECTORY"] ?? "").split(separator: ":")
            guard let first = directories.first(where: { !$0.isEmpty }) else { return fallbackPath }
            return first.hasSuffix("/") ? "\(first)state.sqlite" : "\(first)/state.sqlite"
        }
    }
}
