/// An item of a search page that cannot be read as an observation (not an object, no usable `id`, a timestamp
/// missing or of the wrong type): skipped, logged and counted, while the rest of its page is classified and
/// committed and the watermark moves on.
public struct SkippedItem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The item's id, when it has a usable one.
    public var id: String?
    /// Why it cannot be read.
    public var reason: String

    public init(id: String?, reason: String) {
        self.id = id
        self.reason = reason
    }

    public var description: String { "item \(id ?? "without an id"): \(reason)" }
}
