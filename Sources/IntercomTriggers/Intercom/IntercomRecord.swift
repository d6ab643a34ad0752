import Foundation

/// An item of an Intercom list (contact, conversation, company, …): typed fields for the daemon's
/// logic plus the item's exact bytes as Intercom sent them, which events carry verbatim.
public protocol IntercomRecord: Sendable {
    /// The item's JSON bytes exactly as received (same key order, whitespace and number formatting).
    var raw: Data { get }

    /// Decodes the typed fields from `raw` and keeps `raw` unchanged.
    init(raw: Data) throws
}
