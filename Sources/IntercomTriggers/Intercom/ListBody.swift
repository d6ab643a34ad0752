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
    /// when it is valid JSON of the wrong shape.
    public init(body: Data, itemsKey: String) throws {
        let scanner = JSONScanner(body)
        guard scanner.bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") else {
            _ = try scanner.validate()  // invalid JSON says so first
            throw DecodingError.typeMismatch(
                [String: String].self, .init(codingPath: [], debugDescription: "a list body must be an object"))
        }
        // Validated and split into members in one pass: a page is scanned once here, once for its items.
        let members = try scanner.documentMembers()
        guard let itemsRange = members.last(where: { $0.key == itemsKey })?.value,
            scanner.bytes[itemsRange.lowerBound] == UInt8(ascii: "[")
        else {
            throw DecodingError.keyNotFound(
                AnyKey(itemsKey), .init(codingPath: [], debugDescription: "no '\(itemsKey)' array in the list"))
        }
        self.scanner = scanner
        self.members = members
        items = try scanner.elements(ofArrayAt: itemsRange)
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
