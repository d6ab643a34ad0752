/// Turns one sighting of an item into the topic versions it fires, following the topic table.
public struct Classifier: Sendable {
    /// The enabled topics, in catalog order.
    public let topics: [Topic]

    public init(topics: [Topic]) {
        self.topics = topics
    }

    /// The detections for `item`.
    /// - Parameters:
    ///   - priorRole: the contact's role when last seen (nil if never seen).
    ///   - wasLead: whether the contact was ever seen as a lead.
    ///   - windows: each enabled topic's start and dedup horizon.
    ///   - isSeen: whether (topic, item, version) was already recorded.
    public func classify(
        _ item: Observation, priorRole: String?, wasLead: Bool = false, windows: [String: TopicWindow],
        isSeen: (_ topic: String, _ itemID: String, _ version: Int) -> Bool
    ) -> [Detection] {
        let context = Topic.Context(item: item, priorRole: priorRole, wasLead: wasLead || priorRole == "lead")
        var found: [(topic: Topic, version: Int)] = []
        for topic in topics where topic.resource == item.resource && topic.matches(context) {
            guard let window = windows[topic.name] else { continue }
            let version = item.value(of: topic.version)
            guard version >= window.start else { continue }
            // Created versions are remembered for good (one per item); updated ones only back to the horizon.
            if topic.version == .updatedAt && version < window.horizon { continue }
            guard !isSeen(topic.name, item.id, version) else { continue }
            found.append((topic, version))
        }
        let replaced = found.reduce(into: Set<String>()) { $0.formUnion($1.topic.supersedes) }
        return found.map { topic, version in
            Detection(topic: topic.name, itemID: item.id, version: version, fires: !replaced.contains(topic.name))
        }
    }
}
