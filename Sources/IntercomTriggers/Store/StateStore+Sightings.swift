extension StateStore {
    /// What the store remembers about the items of one page, read before classifying it.
    public struct Sightings: Sendable {
        /// The candidate versions already recorded.
        public var seen: Set<SeenVersion>
        /// Contact id → its role before the sighting of the asked version.
        public var roles: [String: String]
        /// Contacts seen as leads before the sighting of the asked version.
        public var formerLeads: Set<String>
        /// Contact id → the role the store holds now (its latest sighting's): a page re-reading a contact in the
        /// same role writes nothing for it.
        public var stored: [String: String] = [:]
    }

    /// Which of `candidates` were already recorded, and what the classifier remembered about each contact of
    /// `versions` (contact id → `updated_at`) *before* it first saw that version: the role and lead flag
    /// before the earliest role change recorded at or after it; none when the contact was first seen at or
    /// after it; else the latest. A version read again — within the lookback or after a reset — is so
    /// classified as it was the first time.
    ///
    /// Everything is `workspace`'s: another workspace's contact of the same id is another contact.
    public func sightings(
        of candidates: [SeenVersion], roles versions: [String: Int], in workspace: StoreWorkspace = .first
    ) async throws -> Sightings {
        try await backend.sightings(of: candidates, roles: versions, in: workspace)
    }
}
