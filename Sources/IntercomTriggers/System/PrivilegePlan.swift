/// What a command run on a store should do about its identity, decided from who owns the store's directory and files.
public enum PrivilegePlan: Sendable, Equatable {
    /// Run as we are: not root, or a store root owns (or none yet).
    case keep
    /// Become this user (the owner of the state directory) before opening the store.
    case become(ServiceAccount)
    /// Neither is safe: the owners disagree. The reason names the files and the fix.
    case refuse(String)
}
