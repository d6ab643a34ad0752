import Foundation
import GRDB

/// An event as the store keeps it: immutable once enqueued, the same for every destination and retry.
public struct StoredEvent: Sendable, Hashable {
    /// The store's monotonic sequence number (never reused, also after pruning): `tail`'s cursor.
    public var seq: Int64
    /// The deterministic event id (`webhook-id`, the envelope's `id`).
    public var id: String
    /// The topic, e.g. `contact.lead.created`.
    public var topic: String
    /// The Intercom id of the contact or conversation.
    public var itemID: String
    /// The version that fired (Unix seconds).
    public var version: Int
    /// When the change was first detected (Unix seconds): the envelope's `created_at`.
    public var detectedAt: Int
    /// The raw item JSON exactly as received.
    public var item: Data
    /// The workspace the event was detected in (its `app_id`); `nil` for events queued by versions that did
    /// not record it.
    public var workspaceID: String?
    /// For an update: what changed since the version of the item seen before (``ItemChanges/json``); `nil` when
    /// the event is no update or no earlier version had been seen.
    public var changes: Data?

    /// Creates a stored event (the store creates these; tests and fakes may too).
    public init(
        seq: Int64, id: String, topic: String, itemID: String, version: Int, detectedAt: Int, item: Data,
        workspaceID: String? = nil, changes: Data? = nil
    ) {
        self.changes = changes
        self.workspaceID = workspaceID
        self.seq = seq
        self.id = id
        self.topic = topic
        self.itemID = itemID
        self.version = version
        self.detectedAt = detectedAt
        self.item = item
    }
}

extension StoredEvent {
    /// The columns `init(row:)` reads, qualified for joins.
    static let columns =
        "event.seq, event.id, event.topic, event.item_id, event.version, event.detected_at, event.item, event.workspace_id, "
        + "event.changes"

    /// Decodes a row selected with ``columns``, starting at column `offset`. By position: a lane reads
    /// thousands of rows a second, and looking columns up by name was a visible part of that.
    init(row: Row, offset: Int = 0) {
        self.init(
            seq: row[offset],
            id: row[offset + 1],
            topic: row[offset + 2],
            itemID: row[offset + 3],
            version: row[offset + 4],
            detectedAt: row[offset + 5],
            item: row[offset + 6],
            workspaceID: row[offset + 7],
            changes: row[offset + 8]
        )
    }
}
