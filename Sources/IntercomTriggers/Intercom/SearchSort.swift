/// The `sort` of a search request.
public struct SearchSort: Sendable, Equatable {
    /// `ascending` or `descending` (2.16 rejects `asc`/`desc`).
    public enum Order: String, Sendable {
        case ascending
        case descending
    }

    public var field: String
    public var order: Order

    public init(field: String, order: Order) {
        self.field = field
        self.order = order
    }

    /// Sort by `field`, oldest first.
    public static func ascending(_ field: String) -> SearchSort { SearchSort(field: field, order: .ascending) }

    /// Sort by `field`, newest first.
    public static func descending(_ field: String) -> SearchSort { SearchSort(field: field, order: .descending) }
}
