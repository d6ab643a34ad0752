/// An action that failed after some of its requests succeeded (e.g. a contact created but the
/// company not attached): the message says what was done and what was not.
public struct ActionFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// What went wrong underneath.
    public var underlying: any Error

    public init(_ message: String, underlying: any Error) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(message): \(ActionRunner.describe(underlying))" }
}
