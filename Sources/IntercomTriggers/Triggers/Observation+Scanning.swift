import Foundation

extension Observation {
    /// The observation of the item at `range` of a scanned search page, read straight from its bytes: the
    /// id, the two timestamps and, per resource, the contact's `role` or the conversation's
    /// `source.author.type` — the same lenient reading as ``Contact`` and ``Conversation``, without decoding
    /// the rest of the item.
    ///
    /// - Throws: ``SkippedItem`` when the item is not an object, has no usable `id`, or lacks a timestamp
    ///   that reads as a time.
    init(resource: Resource, at range: Range<Int>, in scanner: JSONScanner) throws(SkippedItem) {
        guard let members = scanner.objectMembers(at: range) else {
            throw SkippedItem(id: nil, reason: "not a JSON object")
        }
        func string(_ key: String) -> String? { JSONScanner.value(key, in: members).flatMap(scanner.lenientString) }
        func int(_ key: String) -> Int? { JSONScanner.value(key, in: members).flatMap(scanner.lenientInt) }
        guard let id = string("id"), !id.isEmpty else { throw SkippedItem(id: nil, reason: "no usable id") }
        guard let created = int("created_at") else { throw SkippedItem(id: id, reason: "no usable created_at") }
        guard let updated = int("updated_at") else { throw SkippedItem(id: id, reason: "no usable updated_at") }
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
