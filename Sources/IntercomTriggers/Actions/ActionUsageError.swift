/// Input refused before any request is sent (exit 64, one line on stderr).
public struct ActionUsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit code for bad input (`EX_USAGE`).
    public static let exitCode: Int32 = 64

    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
