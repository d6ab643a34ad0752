import Foundation

/// What `intercom-triggerd status --json` reports, as far as the tests read it.
struct DaemonStatus: Sendable {
    /// One destination's queue.
    struct Destination: Sendable {
        var name: String
        /// Outbox rows not delivered yet.
        var pending: Int
        /// Dead letters.
        var dead: Int
        /// When the last row was delivered (Unix seconds), if ever.
        var lastDeliveredAt: Int?
    }

    /// One topic's polling state.
    struct Topic: Sendable {
        var name: String
        var watermark: Int
        /// Start of the last completed (or failed) pass (Unix seconds).
        var lastPollAt: Int?
        /// e.g. `ok: 3 requests, 420 items, 0 events` or `error`.
        var lastResult: String?
    }

    var destinations: [Destination]
    var topics: [Topic]

    /// Parses the JSON `status --json` prints.
    init(json: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw EndToEndError("status --json printed no object")
        }
        destinations = ((object["destinations"] as? [[String: Any]]) ?? []).map {
            Destination(
                name: $0["name"] as? String ?? "", pending: $0["pending"] as? Int ?? 0, dead: $0["dead"] as? Int ?? 0,
                lastDeliveredAt: $0["last_delivered_at"] as? Int)
        }
        topics = ((object["topics"] as? [[String: Any]]) ?? []).map {
            Topic(
                name: $0["topic"] as? String ?? "", watermark: $0["watermark"] as? Int ?? 0,
                lastPollAt: $0["last_poll_at"] as? Int, lastResult: $0["last_result"] as? String)
        }
    }

    /// Rows pending over all destinations.
    var pending: Int { destinations.reduce(0) { $0 + $1.pending } }

    /// Whether every topic finished a pass that started at or after `time` and found nothing new, and no
    /// destination has anything pending: the daemon has caught up.
    func isCaughtUp(passStartedAtOrAfter time: Int) -> Bool {
        guard pending == 0, !topics.isEmpty else { return false }
        return topics.allSatisfy { topic in
            guard let at = topic.lastPollAt, at >= time, let result = topic.lastResult else { return false }
            return result.hasPrefix("ok") && result.hasSuffix(" 0 events")
        }
    }
}
