/// Why the state store could not be opened or used.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another daemon holds the store's lock file; `pid` is what it wrote there, when readable.
    case locked(path: String, pid: Int32?)
    /// The database (or its directory, or its lock file) could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// An admin command was pointed at a path with no store; nothing was created there.
    case notFound(path: String)
    /// Applying the schema migrations failed; the store is left as it was.
    case migrationFailed(path: String, reason: String)
    /// The file was migrated by a newer intercom-triggerd than this one.
    case schemaTooNew(path: String)
    /// A statement failed while performing `operation`.
    case database(operation: String, reason: String)
    /// A page was not committed because this daemon no longer holds `workspace`'s lease (epoch `epoch`): another
    /// daemon took it over while this one was paused, cut off or slow (#16). Nothing of the page was written.
    case fenced(workspace: Int64, epoch: Int64)

    /// The exit status of a command the store refused. The unit's `RestartPreventExitStatus=` lists the codes
    /// a restart cannot fix:
    /// - 75 (EX_TEMPFAIL): another daemon holds the store;
    /// - 65 (EX_DATAERR): a newer version wrote the store; only a newer binary can read it, and restarting this
    ///   one every few seconds would only fill the journal;
    /// - 69 (EX_UNAVAILABLE) otherwise: the disk or the directory may come back, so systemd retries.
    public var exitCode: Int32 {
        switch self {
        case .locked: 75
        case .schemaTooNew: 65
        case .cannotOpen, .notFound, .migrationFailed, .database, .fenced: 69
        }
    }

    /// One line for an operator: what happened and, where it helps, what to do.
    public var description: String {
        switch self {
        case .locked(let path, let pid):
            let holder = pid.map { "another intercom-triggerd (pid \($0))" } ?? "another intercom-triggerd"
            return "\(holder) holds the store \(path) (lock \(path).lock); "
                + "stop it first, or use a different store path"
        case .cannotOpen(let path, let reason):
            return "cannot open the store \(path): \(reason)"
        case .notFound(let path):
            return "there is no store at \(path) (nothing was created): check --store or [store] path, "
                + "or start the daemon once with this configuration"
        case .migrationFailed(let path, let reason):
            return "cannot migrate the store \(path): \(reason)"
        case .schemaTooNew(let path):
            return "the store \(path) was written by a newer intercom-triggerd; upgrade this binary to use it"
        case .database(let operation, let reason):
            return "store: \(operation) failed: \(reason)"
        case .fenced(let workspace, let epoch):
            return "the lease of workspace \(workspace) (epoch \(epoch)) is no longer this daemon's: another daemon "
                + "polls it now; the page was not committed"
        }
    }
}
