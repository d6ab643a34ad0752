/// What `RecordStore` needs from a record: a tie-breaking key and the two indexed timestamps.
protocol IndexedRecord: Sendable, Equatable {
    /// Orders records with the same sort value (string ids for contacts, numbers for conversations).
    associatedtype Key: Hashable & Comparable & Sendable
    var key: Key { get }
    var createdAt: Int { get }
    var updatedAt: Int { get }
    /// The key as it appears in a cursor.
    var keyJSON: JSONValue { get }
    /// The key from a cursor, `nil` when it has the wrong type.
    static func key(from json: JSONValue) -> Key?
}

extension ContactRecord: IndexedRecord {
    var key: String { id }
    var keyJSON: JSONValue { .string(id) }
    static func key(from json: JSONValue) -> String? { json.stringValue }
}

extension ConversationRecord: IndexedRecord {
    var key: Int { idNumber }
    var keyJSON: JSONValue { .int(idNumber) }
    static func key(from json: JSONValue) -> Int? { json.intValue ?? json.stringValue.flatMap { Int($0) } }
}
