/// What ``eventually(_:timeout:interval:_:)`` throws when its condition never held.
public struct EventuallyTimeout: Error, CustomStringConvertible {
    /// What the test waited for.
    public let what: String
    /// How long it waited.
    public let timeout: Duration

    public init(what: String, timeout: Duration) {
        self.what = what
        self.timeout = timeout
    }

    public var description: String { "Timed out after \(timeout) waiting for: \(what)" }
}
