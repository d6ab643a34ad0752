import Foundation

/// What the admin commands `enable`, `dead-letters` and `replay` do to the store, as a library so tests
/// drive the same path as the command line. Each works while the daemon runs; its lanes see the change
/// at their next look at the store.
public enum DeliveryAdmin {
    /// Which deliveries `replay` queues again.
    public enum ReplaySelection: Sendable, Hashable {
        /// One event, whatever its state (also delivered, pruned from the outbox, or never routed there).
        case event(String)
        /// The dead letters of events detected at or after this time (Unix seconds).
        case since(Int)
        /// Every dead letter.
        case allFailed
        /// Every pending delivery that waits for a later attempt (a retry step, a receiver's `Retry-After`),
        /// due now with its attempts kept; the argument is now (Unix seconds).
        case waiting(now: Int)
    }

    /// A destination name that neither the configuration nor the store knows (a typo, most likely).
    public struct UnknownDestination: Error, Equatable, CustomStringConvertible {
        public var name: String
        /// The names that would have been accepted, sorted.
        public var known: [String]

        public var description: String {
            "no destination named \"\(name)\": "
                + (known.isEmpty ? "none is configured" : "known destinations: \(known.joined(separator: ", "))")
        }
    }

    /// Checks that `destination` is configured, or has rows in the store (a destination removed from the
    /// configuration whose queued rows wait there); throws ``UnknownDestination`` otherwise, before anything
    /// is changed.
    public static func checkDestination(_ destination: String, configured: [String], store: StateStore) async throws {
        if configured.contains(destination) { return }
        let stored = try await store.destinationSummaries().map(\.name)
        if stored.contains(destination) { return }
        throw UnknownDestination(name: destination, known: Set(configured + stored).sorted())
    }

    /// Re-enables `destination` (disabled after HTTP 410); returns whether it was disabled.
    @discardableResult
    public static func enable(store: StateStore, destination: String) async throws -> Bool {
        let wasDisabled = try await store.destinationStates().contains { $0.name == destination && $0.isDisabled }
        try await store.enableDestination(destination)
        return wasDisabled
    }

    /// Queues deliveries to `destination` again, due at once with a fresh retry schedule (of `workspace`'s events
    /// only, when set); returns how many.
    public static func replay(
        store: StateStore, destination: String, selection: ReplaySelection, workspace: StoreWorkspace? = nil
    ) async throws -> Int {
        switch selection {
        case .event(let id):
            try await store.replay(
                destination: destination, eventID: id, since: nil, allFailed: false, workspace: workspace)
        case .since(let time):
            try await store.replay(
                destination: destination, eventID: nil, since: time, allFailed: false, workspace: workspace)
        case .allFailed:
            try await store.replay(
                destination: destination, eventID: nil, since: nil, allFailed: true, workspace: workspace)
        case .waiting(let now):
            try await store.retryWaitingNow(destination: destination, now: now, workspace: workspace)
        }
    }

    /// Dead letters as a text table: destination, event id, topic, attempts, last status or error.
    public static func text(_ letters: [DeadLetter]) -> String {
        guard !letters.isEmpty else { return "no dead letters" }
        let header = ["DESTINATION", "EVENT", "TOPIC", "ATTEMPTS", "LAST"]
        let rows =
            [header]
            + letters.map { letter in
                [letter.destination, letter.eventID, letter.topic, "\(letter.attempts)", last(letter)]
            }
        let widths = (0..<header.count - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + row[header.count - 1]
        }.joined(separator: "\n")
    }

    /// Dead letters as a JSON array (one object per letter, without the item).
    public static func json(_ letters: [DeadLetter]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(letters.map(Row.init))
    }

    /// The last status and error of a dead letter, in one short column.
    static func last(_ letter: DeadLetter) -> String {
        // Stores written before the error text was escaped when built may hold a receiver's raw controls.
        switch (letter.lastStatus, letter.lastError?.escapingControlCharacters) {
        case (let status?, let error?) where !error.hasPrefix("HTTP \(status)"): "HTTP \(status): \(error)"
        case (_, let error?): error
        case (let status?, nil): "HTTP \(status)"
        case (nil, nil): "-"
        }
    }

    /// One dead letter in `dead-letters --json`, with explicit nulls so every object has every key.
    struct Row: Encodable {
        let letter: DeadLetter

        init(_ letter: DeadLetter) { self.letter = letter }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encode(letter.destination, forKey: "destination")
            try container.encode(letter.eventID, forKey: "event_id")
            try container.encode(letter.topic, forKey: "topic")
            try container.encode(letter.itemID, forKey: "item_id")
            try container.encode(letter.version, forKey: "version")
            try container.encode(letter.detectedAt, forKey: "detected_at")
            try container.encode(letter.attempts, forKey: "attempts")
            try container.encode(letter.firstSentAt, forKey: "first_sent_at")
            try container.encode(letter.lastAttemptAt, forKey: "last_attempt_at")
            try container.encode(letter.lastStatus, forKey: "last_status")
            try container.encode(letter.lastError?.escapingControlCharacters, forKey: "last_error")
        }
    }
}
