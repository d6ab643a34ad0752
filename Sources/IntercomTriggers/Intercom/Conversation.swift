import Foundation

/// An Intercom conversation (`type: "conversation"`), as listed, searched or fetched.
public struct Conversation: IntercomRecord, Decodable, Equatable {
    /// A numeric string.
    public var id: String
    /// Unix seconds.
    public var createdAt: Int?
    /// Unix seconds.
    public var updatedAt: Int?
    /// `open`, `closed` or `snoozed`.
    public var state: String?
    public var open: Bool?
    public var title: String?
    public var source: ConversationSource?
    /// Ids from `contacts.contacts[].id`.
    public var contactIDs: [String]
    /// The item's bytes as received; empty when decoded through `Decodable` rather than `init(raw:)`.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(Conversation.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        createdAt = container.lenientInt("created_at")
        updatedAt = container.lenientInt("updated_at")
        state = container.lenientString("state")
        open = container.lenientBool("open")
        title = container.lenientString("title")
        source = container.lenient(ConversationSource.self, "source")
        contactIDs = container.lenient(ContactReferences.self, "contacts")?.ids ?? []
    }

    /// `{"type":"contact.list","contacts":[{"type":"contact","id":…}]}`.
    private struct ContactReferences: Decodable {
        var ids: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            var ids: [String] = []
            if var list = try? container.nestedUnkeyedContainer(forKey: "contacts") {
                while !list.isAtEnd {
                    guard let reference = try? list.nestedContainer(keyedBy: AnyKey.self) else {
                        _ = try? list.decode(IgnoredValue.self)
                        continue
                    }
                    if let id = reference.lenientString("id") { ids.append(id) }
                }
            }
            self.ids = ids
        }
    }

    /// Consumes one array element of any shape.
    private struct IgnoredValue: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
