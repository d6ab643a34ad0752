/// Why a command run as root would not touch a store that belongs to another user.
public struct PrivilegeDropError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit status for it: 77, EX_NOPERM.
    public static let exitCode: Int32 = 77

    /// One line: what is wrong and what to do.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
