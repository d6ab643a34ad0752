import Foundation

/// An Intercom list or search body scanned once: validated, its items located by byte range, its top-level
/// members kept for the paging metadata. Items are read straight from the ranges (``Page`` slices and decodes
/// them; the poller's observations read only the few fields the topic rules need), never re-encoded.
public struct ListBody: Sendable {
    /// The scanned body.
    public let scanner: JSONScanner
    /// The byte range of each item, in order.
    public let items: [Range<Int>]
    private let members: [(key: String, value: Range<Int>)]

    /// Scans a list body whose items are the array under `itemsKey` (`data` for contacts and companies,
    /// `conversations` for conversations, `admins` for admins).
    ///
    /// Throws `JSONScanner.SyntaxError` when the body is not valid JSON (e.g. truncated), and `DecodingError`
    /// when it is valid JSON of the wrong shape or holds more than `maximumItems` items.
    public init(body: Data, itemsKey: String, maximumItems: Int = .max) throws {
        let scanner = JSONScanner(body)
        // Validated and split into members in one pass: a page is scanned once here, once for its items.
        let members: [(key: String, value: Range<Int>)]
        do {
            members = try scanner.documentMembers()
        } catch {
            // Not an object: invalid JSON says so (as `validate` words it), valid JSON of another shape too.
            _ = try scanner.validate()
            throw DecodingError.typeMismatch(
                [String: String].self, .init(codingPath: [], debugDescription: "a list body must be an object"))
        }
        guard let itemsRange = members.last(where: { $0.key == itemsKey })?.value,
            scanner.bytes[itemsRange.lowerBound] == UInt8(ascii: "[")
        else {
            throw DecodingError.keyNotFound(
                AnyKey(itemsKey), .init(codingPath: [], debugDescription: "no '\(itemsKey)' array in the list"))
        }
        self.scanner = scanner
        self.members = members
        guard let items = try scanner.elements(ofArrayAt: itemsRange, limit: maximumItems) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [AnyKey(itemsKey)], debugDescription: "more than \(maximumItems) items on one page"))
        }
        self.items = items
    }

    /// The top-level member `key` decoded as `type`; nil when absent, `null` or of another shape.
    public func member<T: Decodable>(_ key: String, as type: T.Type) -> T? {
        guard let range = members.last(where: { $0.key == key })?.value, !scanner.isNull(range) else { return nil }
        return try? JSONDecoder().decode(type, from: scanner.slice(range))
    }

    /// `pages`, when the list has one (read from the scanned bytes, as leniently as its `Decodable` reads it:
    /// every poll reads one).
    public var pages: PageInfo? {
        guard let range = members.last(where: { $0.key == "pages" })?.value else { return nil }
        return PageInfo(scanner: scanner, at: range)
    }
}
