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

extension SnapshotComparison {
    /// How update `candidate` compares with `previous`, the item of its contact's snapshot (nil: unreadable), leaving
    /// out the attributes at or under `ignoring`. `updated_at` is never a change: it moves with every update, it is
    /// the version itself. (The caller has checked the snapshot is no newer than `candidate`.)
    init(_ candidate: NewEvent, previous: Data?, ignoring: Set<String>) {
        guard let previous, previous != candidate.item,
            let changes = try? ItemChanges(
                previous: previous, current: candidate.item, ignoring: ignoring.union(["updated_at"]))
        else {
            self = .unavailable
            return
        }
        self = changes.isEmpty ? .noise : .changes(changes.json)
    }
}
