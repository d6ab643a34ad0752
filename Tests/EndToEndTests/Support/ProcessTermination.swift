/// How a child process ended.
struct ProcessTermination: Equatable, Sendable, CustomStringConvertible {
    /// The exit status, when it exited.
    var exitCode: Int32?
    /// The signal that ended it, when one did.
    var signal: Int32?

    /// Exited with `code`.
    static func exited(_ code: Int32) -> ProcessTermination { ProcessTermination(exitCode: code, signal: nil) }
    /// Killed by `signal`.
    static func killed(by signal: Int32) -> ProcessTermination { ProcessTermination(exitCode: nil, signal: signal) }

    var description: String {
        if let exitCode { return "exit status \(exitCode)" }
        return "signal \(signal ?? -1)"
    }
}
