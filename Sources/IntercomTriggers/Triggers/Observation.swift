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
    /// The item exactly as Intercom returned it.
    public var raw: Data

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
