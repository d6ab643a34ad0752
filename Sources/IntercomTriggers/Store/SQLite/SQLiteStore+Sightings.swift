import GRDB

extension SQLiteStore {
    /// Which of `candidates` were already recorded, and what the classifier remembered about each contact of
    /// `versions` (contact id → `updated_at`) *before* it first saw that version: the role and lead flag
    /// before the earliest role change recorded at or after it; none when the contact was first seen at or
    /// after it; else the latest. A version read again — within the lookback or after a reset — is so
    /// classified as it was the first time.
    ///
    /// Everything is `workspace`'s: another workspace's contact of the same id is another contact.
    func sightings(
        of candidates: [SeenVersion], roles versions: [String: Int], in workspace: StoreWorkspace = .first
    ) async throws -> StateStore.Sightings {
        try await read("read sightings") { db in
            var roles: [String: String] = [:]
            var formerLeads = Set<String>()
            var stored: [String: String] = [:]
            // An update version a created event superseded may be held by the contact's snapshot (v9).
            var covers = Set<SeenVersion>()
            let role = try db.cachedStatement(
                sql:
                    """
                    SELECT role, was_lead, first_version, covers_topic, covers_version FROM item_role
                    WHERE workspace = ? AND item_id = ?
                    """)
            let change = try db.cachedStatement(
                sql: """
                    SELECT from_role, from_was_lead FROM item_role_change
                    WHERE workspace = ? AND item_id = ? AND version >= ? ORDER BY version LIMIT 1
                    """)
            for (itemID, version) in versions {
                guard let row = try Row.fetchOne(role, arguments: [workspace.id, itemID]) else { continue }
                stored[itemID] = row["role"]
                if let topic: String = row["covers_topic"], let covered: Int = row["covers_version"] {
                    covers.insert(SeenVersion(topic: topic, itemID: itemID, version: covered))
                }
                if let first: Int = row["first_version"], first >= version { continue }  // new at this version
                var prior: (role: String, wasLead: Bool) = (row["role"], row["was_lead"])
                if let changed = try Row.fetchOne(change, arguments: [workspace.id, itemID, version]) {
                    prior = (changed["from_role"], changed["from_was_lead"])
                }
                roles[itemID] = prior.role
                if prior.wasLead { formerLeads.insert(itemID) }
            }
            var seen = Set<SeenVersion>()
            let lookup = try db.cachedStatement(
                sql: "SELECT 1 FROM seen_version WHERE workspace = ? AND topic = ? AND item_id = ? AND version = ?")
            for candidate in candidates
            where try covers.contains(candidate)
                || Bool.fetchOne(
                    lookup, arguments: [workspace.id, candidate.topic, candidate.itemID, candidate.version]) != nil
            {
                seen.insert(candidate)
            }
            return StateStore.Sightings(seen: seen, roles: roles, formerLeads: formerLeads, stored: stored)
        }
    }
}
