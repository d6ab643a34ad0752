import PostgresNIO

extension PostgresStore {
    func sightings(
        of candidates: [SeenVersion], roles versions: [String: Int], in workspace: StoreWorkspace
    ) async throws -> StateStore.Sightings {
        let items = versions.keys.sorted()
        let itemVersions = items.map { versions[$0] ?? 0 }
        return try await read("read sightings") { [logger] connection in
            var roles: [String: String] = [:]
            var formerLeads = Set<String>()
            var stored: [String: String] = [:]
            // An update version a created event superseded may be held by the contact's snapshot.
            var covers = Set<SeenVersion>()
            if !items.isEmpty {
                // Each contact's role row and, for the asked version, the earliest role change at or after it: one
                // query for the page.
                let rows = try await connection.all(
                    """
                    SELECT r.item_id, r.role, r.was_lead, r.first_version, r.covers_topic, r.covers_version,
                        c.from_role, c.from_was_lead, asked.version
                    FROM unnest(\(items)::text[], \(itemVersions)::bigint[]) AS asked (item_id, version)
                    JOIN item_role r ON r.workspace = \(workspace.id) AND r.item_id = asked.item_id
                    LEFT JOIN LATERAL (
                        SELECT from_role, from_was_lead FROM item_role_change
                        WHERE workspace = \(workspace.id) AND item_id = asked.item_id AND version >= asked.version
                        ORDER BY version LIMIT 1) c ON TRUE
                    """, (String, String, Bool, Int?, String?, Int?, String?, Bool?, Int).self, logger)
                for (itemID, role, wasLead, first, coversTopic, coversVersion, fromRole, fromWasLead, version) in rows {
                    stored[itemID] = role
                    if let coversTopic, let coversVersion {
                        covers.insert(SeenVersion(topic: coversTopic, itemID: itemID, version: coversVersion))
                    }
                    if let first, first >= version { continue }  // new at this version
                    var prior = (role: role, wasLead: wasLead)
                    if let fromRole, let fromWasLead { prior = (fromRole, fromWasLead) }
                    roles[itemID] = prior.role
                    if prior.wasLead { formerLeads.insert(itemID) }
                }
            }
            var seen = covers.intersection(candidates)
            let rest = candidates.filter { !seen.contains($0) }
            if !rest.isEmpty {
                let found = try await connection.all(
                    """
                    SELECT s.topic, s.item_id, s.version
                    FROM unnest(\(rest.map(\.topic))::text[], \(rest.map(\.itemID))::text[],
                        \(rest.map(\.version))::bigint[]) AS asked (topic, item_id, version)
                    JOIN seen_version s ON s.workspace = \(workspace.id) AND s.topic = asked.topic
                        AND s.item_id = asked.item_id AND s.version = asked.version
                    """, (String, String, Int).self, logger)
                for (topic, itemID, version) in found {
                    seen.insert(SeenVersion(topic: topic, itemID: itemID, version: version))
                }
            }
            return StateStore.Sightings(seen: seen, roles: roles, formerLeads: formerLeads, stored: stored)
        }
    }
}
