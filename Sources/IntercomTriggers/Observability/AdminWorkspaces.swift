/// The workspaces the admin commands (`status`, `reset`, `tail`, `dead-letters`, `replay`) know, by name: the
/// configured ones, and the ones the store holds rows for that the configuration no longer names.
public struct AdminWorkspaces: Sendable, Equatable {
    /// One workspace.
    public struct Entry: Sendable, Equatable {
        /// Its configured name (the store row's name).
        public var name: String
        /// Its rows in the store; nil until a daemon registered it.
        public var store: StoreWorkspace?
        /// The Intercom app id its first poll learnt; nil before.
        public var appID: String?
        /// False for a workspace the store holds but the configuration does not name (any more).
        public var configured: Bool

        public init(name: String, store: StoreWorkspace?, appID: String?, configured: Bool) {
            self.name = name
            self.store = store
            self.appID = appID
            self.configured = configured
        }
    }

    /// A `--workspace` name that neither the configuration nor the store knows (a typo, most likely).
    public struct UnknownWorkspace: Error, Equatable, CustomStringConvertible {
        public var name: String
        /// The names that would have been accepted, sorted.
        public var known: [String]

        public var description: String {
            let near = ConfigSchema.nearest(name, among: known).map { "did you mean \"\($0)\"? " } ?? ""
            let shown =
                known.prefix(20).joined(separator: ", ") + (known.count > 20 ? ", … (\(known.count) in all)" : "")
            return "no workspace named \"\(name.escapingControlCharacters)\": "
                + (known.isEmpty ? "none is configured or in the store" : "\(near)known workspaces: \(shown)")
        }
    }

    /// Which workspaces' rows an admin command acts on.
    public enum Scope: Sendable, Equatable {
        /// Every workspace's (no `--workspace`).
        case all
        /// One workspace's.
        case one(StoreWorkspace)
        /// A configured workspace no daemon registered yet: it has no rows, so nothing matches.
        case unregistered

        /// The store's filter, nil for every workspace: check for ``unregistered`` first, which must match nothing.
        public var workspace: StoreWorkspace? {
            if case .one(let workspace) = self { workspace } else { nil }
        }
    }

    /// Sorted by name.
    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { $0.name < $1.name }
    }

    /// More than one workspace: `status` summarises, and `reset` wants to be told which.
    public var areSeveral: Bool { entries.count > 1 }

    /// The workspaces of `configured` (the configuration's names; nil when no configuration file was read, so none
    /// can be called unconfigured) and of `store`. A store row the configuration does not name is left out while it
    /// holds nothing (no app id, no topic): every store has the row `default`, which a store of named workspaces
    /// never uses.
    public static func load(configured: [String]?, store: StateStore) async throws -> AdminWorkspaces {
        let stored = try await store.workspaces()
        let withTopics = Set(try await store.topicStatesByWorkspace().keys)
        let names = Set(configured ?? [])
        var entries = (configured ?? []).map { name in
            let row = stored.first { $0.name == name }
            return Entry(name: name, store: row?.workspace, appID: row?.appID, configured: true)
        }
        for row in stored where !names.contains(row.name) && (row.appID != nil || withTopics.contains(row.workspace)) {
            entries.append(Entry(name: row.name, store: row.workspace, appID: row.appID, configured: configured == nil))
        }
        return AdminWorkspaces(entries: entries)
    }

    /// The workspace called `name`; throws ``UnknownWorkspace`` naming the known ones otherwise.
    public func entry(named name: String) throws(UnknownWorkspace) -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw UnknownWorkspace(name: name, known: entries.map(\.name))
        }
        return entry
    }

    /// The rows `--workspace name` selects (`name` nil: not given, every workspace); throws ``UnknownWorkspace``.
    public func scope(named name: String?) throws(UnknownWorkspace) -> Scope {
        guard let name else { return .all }
        return try entry(named: name).store.map(Scope.one) ?? .unregistered
    }
}
