import Foundation

/// How a contact event compares with the contact's snapshot (``SnapshotStatements/record(_:ignoring:)``).
enum SnapshotComparison: Equatable {
    /// Nothing to say: no update, no earlier snapshot, a newer one, the same bytes, or one that cannot be read.
    case unavailable
    /// What changed: ``ItemChanges/json``.
    case changes(Data)
    /// Only ignored fields differ: the update is noise and fires nothing.
    case noise
}
