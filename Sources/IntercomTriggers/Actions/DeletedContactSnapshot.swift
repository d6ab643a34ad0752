import Foundation

/// After `api contacts delete` succeeded: the one deletion of a contact the daemon can see (a search never
/// shows deleted contacts), so the contact's snapshot in the store goes with it.
public enum DeletedContactSnapshot {
    /// Forgets `id`'s snapshot in workspace `workspace` of `store`, if there is a store (and the workspace has rows
    /// there). Returns a warning to print when the store cannot be written (the contact is deleted in Intercom all
    /// the same), nil otherwise.
    public static func forget(
        _ id: String, store: DaemonConfiguration.Store, workspace: String = DaemonConfiguration.Workspace.defaultName
    ) async -> String? {
        if store.postgres == nil, !FileManager.default.fileExists(atPath: store.path) { return nil }
        do {
            try await StateStore.withOpened(store.location, role: .admin) { opened in
                guard let rows = try await opened.workspace(named: workspace) else { return }
                try await opened.forgetSnapshots(of: [id], in: rows)
            }
            return nil
        } catch {
            return "the contact is deleted, but its snapshot in \(store.displayName) was not forgotten: \(error)"
        }
    }
}
