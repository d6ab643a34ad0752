import GRDB

extension StateStore {
    /// What the store remembers about the items of one page, read before classifying it.
    public struct Sightings: Sendable {
        /// The candidate versions already recorded.
        public var seen: Set<SeenVersion>
        /// Contact id → role at its previous sighting.
        public var roles: [String: String]
        /// Contacts that were seen as leads at some sighting.
        public var formerLeads: Set<String>
    }

    /// Which of `candidates` were already recorded, and the remembered roles of `itemIDs`.
    public func sightings(of candidates: [SeenVersion], roles itemIDs: [String]) async throws -> Sightings {
        try await read("read sightings") { db in
            var seen = Set<SeenVersion>()
            let lookup = try db.cachedStatement(
                sql: "SELECT 1 FROM seen_version WHERE topic = ? AND item_id = ? AND version = ?")
            for candidate in candidates
            where try Bool.fetchOne(lookup, arguments: [candidate.topic, candidate.itemID, candidate.version]) != nil {
                seen.insert(candidate)
            }
            var roles: [String: String] = [:]
            var formerLeads = Set<String>()
            let role = try db.cachedStatement(sql: "SELECT role, was_lead FROM item_role WHERE item_id = ?")
            for itemID in Set(itemIDs) {
                guard let row = try Row.fetchOne(role, arguments: [itemID]) else { continue }
                roles[itemID] = row["role"]
                if row["was_lead"] as Bool { formerLeads.insert(itemID) }
            }
            return Sightings(seen: seen, roles: roles, formerLeads: formerLeads)
        }
    }
}
