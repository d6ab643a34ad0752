extension DaemonConfiguration {
    /// One Intercom workspace the daemon serves: a `[[workspace]]` table, a file of `workspaces_dir`, or — in the
    /// single-workspace form — `[intercom]`, `[triggers]` and `[poll]` themselves, as the workspace ``defaultName``.
    ///
    /// Every setting is resolved: what the workspace does not set itself comes from `[intercom]`, `[triggers]` and
    /// `[poll]`.
    public struct Workspace: Sendable, Equatable {
        /// The name of the one workspace of the single-workspace form.
        public static let defaultName = "default"

        /// Unique among the workspaces; 1–63 of `a-z`, `0-9`, `-` and `_`, starting with a letter or a digit (it
        /// names metrics labels, command-line arguments and files).
        public var name: String
        /// How to reach it: its own token, region or base URL, API version and rate ceiling; `ca_file` and `proxy`
        /// are always `[intercom]`'s.
        public var intercom: Intercom
        /// Its topics, start and ignored fields.
        public var triggers: Triggers
        /// Its interval and lookback: its own, else `[poll]`'s.
        public var poll: Poll
        /// The file that defines it: the configuration file, or its file in `workspaces_dir`.
        public var file: String
        /// The line of its name (or its `[[workspace]]` header) in ``file``; 0 when no one line defines it (the
        /// single-workspace form, a workspace file without a `name`).
        public var line: Int

        public init(
            name: String, intercom: Intercom, triggers: Triggers = Triggers(), poll: Poll = Poll(),
            file: String = "<memory>", line: Int = 0
        ) {
            self.name = name
            self.intercom = intercom
            self.triggers = triggers
            self.poll = poll
            self.file = file
            self.line = line
        }

        /// `FILE:LINE`, or `FILE` when no one line defines it.
        public var place: String { line > 0 ? "\(file):\(line)" : file }

        /// Whether the two run the same way: every setting equal, wherever each is defined.
        public func hasSameSettings(as other: Workspace) -> Bool {
            name == other.name && intercom == other.intercom && triggers == other.triggers && poll == other.poll
        }

        /// Whether `name` may name a workspace.
        public static func isValidName(_ name: String) -> Bool {
            guard (1...63).contains(name.utf8.count), let first = name.utf8.first, first != UInt8(ascii: "-"),
                first != UInt8(ascii: "_")
            else { return false }
            return name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
        }
    }
}

extension DaemonConfiguration {
    /// The workspace an `api` command acts on: the one named `name`, or — without a name — the only one. Throws a
    /// one-line reason with the fix (`--workspace NAME`, the known names) otherwise.
    public func servedWorkspace(named name: String? = nil) throws(WorkspaceChoiceError) -> Workspace {
        let names = workspaces.map(\.name)
        let known = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
        if let name {
            guard let workspace = workspace(named: name) else {
                throw WorkspaceChoiceError(description: "no workspace \(name) is configured (known: \(known))")
            }
            return workspace
        }
        guard workspaces.count == 1 else {
            throw WorkspaceChoiceError(
                description:
                    "\(workspaces.count) workspaces are configured: name one with --workspace NAME (known: \(known))")
        }
        return workspaces[0]
    }
}

/// An `api` command's `--workspace` names no configured workspace, or is missing among several (exit 64).
public struct WorkspaceChoiceError: Error, CustomStringConvertible {
    public var description: String
}
