import Foundation

/// One item as a poll saw it, reduced to what topic rules look at, plus its exact bytes.
public struct Observation: Sendable, Equatable {
    public var resource: Resource
    public var id: String
    public var createdAt: Int
    public var updatedAt: Int
    /// A contact's role (`user` or `lead`); nil for conversations.
    public var role: String?
    /// A conversation's `source.author.type`; nil for contacts.
    public var authorType: String?
    /// The item exactly as Intercom returned it, but for bytes that are not UTF-8 (``replacedInvalidUTF8``).
    public var raw: Data
    /// Whether `raw` had bytes that are not UTF-8, each sequence now U+FFFD (``JSONScanner/wellFormedSlice(_:)``):
    /// the item still fires, and its event is JSON every receiver can parse.
    public var replacedInvalidUTF8 = false

    public init(
        resource: Resource, id: String, createdAt: Int, updatedAt: Int, role: String? = nil,
        authorType: String? = nil, raw: Data = Data()
    ) {
        self.resource = resource
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.role = role
        self.authorType = authorType
        self.raw = raw
    }

    /// The value of `field` on this item.
    public func value(of field: VersionField) -> Int {
        switch field {
        case .createdAt: createdAt
        case .updatedAt: updatedAt
        }
    }
}
