import Foundation

extension Observation {
    /// The observation of the item at `range` of a scanned search page, read straight from its bytes: the
    /// id, the two timestamps and, per resource, the contact's `role` or the conversation's
    /// `source.author.type` — the same lenient reading as ``Contact`` and ``Conversation``, without decoding
    /// the rest of the item.
    ///
    /// Bytes that are not UTF-8 are replaced in `raw` (``replacedInvalidUTF8``), not a reason to skip the item.
    ///
    /// - Throws: ``SkippedItem`` when the item is not an object, has no usable `id`, or lacks a timestamp
    ///   that reads as a time.
    ///
    /// The page must have been validated (``ListBody`` does): only the members read are looked for, and the
    /// scan of an item stops once it found them.
    init(resource: Resource, at range: Range<Int>, in scanner: JSONScanner) throws(SkippedItem) {
        let keys = resource == .contacts ? Self.contactKeys : Self.conversationKeys
        guard let values = scanner.values(of: keys, inValidatedObjectAt: range) else {
            throw SkippedItem(id: nil, reason: "not a JSON object")
        }
        guard let id = values[0].flatMap(scanner.lenientString), !id.isEmpty else {
            throw SkippedItem(id: nil, reason: "no usable id")
        }
        guard let created = values[1].flatMap(scanner.lenientInt) else {
            throw SkippedItem(id: id, reason: "no usable created_at")
        }
        guard let updated = values[2].flatMap(scanner.lenientInt) else {
            throw SkippedItem(id: id, reason: "no usable updated_at")
        }
        let (raw, replaced) = scanner.wellFormedSlice(range)
        switch resource {
        case .contacts:
            self.init(
                resource: .contacts, id: id, createdAt: created, updatedAt: updated,
                role: values[3].flatMap(scanner.lenientString), raw: raw)
        case .conversations:
            let author = values[3]
                .flatMap { scanner.values(of: ["author"], inValidatedObjectAt: $0)?[0] }
                .flatMap { scanner.values(of: ["type"], inValidatedObjectAt: $0)?[0] }
            self.init(
                resource: .conversations, id: id, createdAt: created, updatedAt: updated,
                authorType: author.flatMap(scanner.lenientString), raw: raw)
        }
        replacedInvalidUTF8 = replaced
    }

    /// The members a contact's observation reads, in the order ``init(resource:at:in:)`` takes them.
    static let contactKeys = ["id", "created_at", "updated_at", "role"]
    /// The members a conversation's observation reads (`source` holds `author.type`).
    static let conversationKeys = ["id", "created_at", "updated_at", "source"]
}
