import Foundation

/// One event line the daemon printed on stdout (DESIGN §6), with the fields the tests look at.
struct EmittedEvent: Hashable, Sendable {
    /// The deterministic event id.
    var id: String
    /// The topic.
    var topic: String
    /// `data.item.id`.
    var itemID: String

    /// Parses one stdout line; nil when it is not an event object with `id`, `topic` and `data.item.id`.
    init?(line: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let id = object["id"] as? String, let topic = object["topic"] as? String,
            let data = object["data"] as? [String: Any], let item = data["item"] as? [String: Any],
            let itemID = item["id"] as? String
        else { return nil }
        self.id = id
        self.topic = topic
        self.itemID = itemID
    }

    /// The events on `lines`.
    /// - Throws: when a line is not an event (stdout must hold events only).
    static func parse(_ lines: [String]) throws -> [EmittedEvent] {
        try lines.map { line in
            guard let event = EmittedEvent(line: line) else {
                throw EndToEndError("Not an event line on stdout: \(line.prefix(300))")
            }
            return event
        }
    }
}
