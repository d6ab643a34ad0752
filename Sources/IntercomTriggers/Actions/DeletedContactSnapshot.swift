import Foundation

/// After `api contacts delete` succeeded: the one deletion of a contact the daemon can see (a search never
/// shows deleted contacts), so the contact's snapshot in the store goes with it.
public enum DeletedContactSnapshot {
    /// Forgets `id`'s snapshot in workspace `workspace` of the store at `storePath`, if there is a store (and the
    /// workspace has rows there). Returns a warning to print when the store cannot be written (the contact is
    /// deleted in Intercom all the same), nil otherwise.
    public static func forget(
        _ id: String, storePath: String, workspace: String = DaemonConfiguration.Workspace.defaultName
    ) async -> String? {
        guard FileManager.default.fileExists(atPath: storePath) else { return nil }
        do {
            let store = try StateStore(path: storePath, role: .admin)
            defer { try? store.close() }
            guard let rows = try await store.workspace(named: workspace) else { return nil }
            try await store.forgetSnapshots(of: [id], in: rows)
            return nil
        } catch {
            return "the contact is deleted, but its snapshot in \(storePath) was not forgotten: \(error)"
        }
    }
}
