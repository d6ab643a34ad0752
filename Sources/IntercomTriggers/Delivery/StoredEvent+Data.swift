extension StoredEvent {
    /// Appends the event's data members, `"item":…` and then `,"changes":…` or the `changes_unavailable` marker,
    /// to `bytes`: the same in every body format (``EventEnvelope``'s `data`, ``CloudEvent``'s `data`).
    ///
    /// The raw item and changes are spliced in verbatim, never re-serialised.
    func appendDataMembers(to bytes: inout [UInt8]) {
        bytes += #""item":"#.utf8
        // An empty item would make the body invalid JSON; the store never holds one, but stay parseable.
        if item.isEmpty {
            bytes += "null".utf8
        } else {
            bytes += item
        }
        // What changed (#14), additive: receivers of Intercom's own webhooks read `item` as before.
        if let changes, !changes.isEmpty {
            bytes += #","changes":"#.utf8
            bytes += changes
        } else if TopicCatalog.changeTopics.contains(topic) {
            bytes += #","changes_unavailable":"no_earlier_version""#.utf8
        }
    }
}
