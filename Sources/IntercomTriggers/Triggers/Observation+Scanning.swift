import Foundation

extension Observation {
    /// The observation of the item at `range` of a scanned search page, read straight from its bytes: the
    /// id, the two timestamps and, per resource, the contact's `role` or the conversation's
    /// `source.author.type` — the same lenient reading as ``Contact`` and ``Conversation``, without decoding
    /// the rest of the item. Nil when a timestamp is missing (Intercom always sends them).
    ///
    /// - Throws: `DecodingError` when the item is not an object or has no usable `id`, as the models do.
    init?(resource: Resource, at range: Range<Int>, in scanner: JSONScanner) throws {
        guard let members = scanner.objectMembers(at: range) else {
            throw DecodingError.typeMismatch(
                [String: String].self, .init(codingPath: [], debugDescription: "an item must be an object"))
        }
        func string(_ key: String) -> String? { JSONScanner.value(key, in: members).flatMap(scanner.lenientString) }
        func int(_ key: String) -> Int? { JSONScanner.value(key, in: members).flatMap(scanner.lenientInt) }
        guard let id = string("id"), !id.isEmpty else {
            throw DecodingError.keyNotFound(
                AnyKey("id"), .init(codingPath: [], debugDescription: "missing or empty id"))
        }
        guard let created = int("created_at"), let updated = int("updated_at") else { return nil }
        switch resource {
        case .contacts:
            self.init(
                resource: .contacts, id: id, createdAt: created, updatedAt: updated, role: string("role"),
                raw: scanner.slice(range))
        case .conversations:
            let author = JSONScanner.value("source", in: members)
                .flatMap(scanner.objectMembers)
                .flatMap { JSONScanner.value("author", in: $0) }
                .flatMap(scanner.objectMembers)
            let authorType = author.flatMap { JSONScanner.value("type", in: $0) }.flatMap(scanner.lenientString)
            self.init(
                resource: .conversations, id: id, createdAt: created, updatedAt: updated, authorType: authorType,
                raw: scanner.slice(range))
        }
    }
}
