/// The type of a searchable field, which decides its operators and how values compare.
enum SearchFieldKind: Sendable {
    /// `= != IN NIN ~ !~ ^ $`.
    case string
    /// Several strings per record (`tag_id`, `contact_ids`): `=` means "has this one".
    case stringList
    /// `tag_id` on contacts: `=` and `!=` only.
    case tagList
    /// Matched per word (`source.body`): `=` "support" matches "I need support".
    case words
    /// `= != IN NIN < > <= >=`.
    case integer
    /// `= != IN NIN`.
    case boolean
    /// UNIX seconds; operators and granularity depend on the resource and the workspace settings.
    case date
    /// `custom_attributes.x`: typed by the stored value.
    case custom

    var name: String {
        switch self {
        case .string, .words: "string"
        case .stringList, .tagList: "string list"
        case .integer: "integer"
        case .boolean: "boolean"
        case .date: "date"
        case .custom: "custom attribute"
        }
    }
}

/// A record's value for one searchable field.
enum SearchFieldValue {
    case string(String?)
    case strings([String])
    case int(Int?)
    case bool(Bool?)
    case json(JSONValue?)
}

/// One searchable field: its kind and how to read it from a record.
struct SearchField<Record> {
    var kind: SearchFieldKind
    var read: (Record) -> SearchFieldValue
}
