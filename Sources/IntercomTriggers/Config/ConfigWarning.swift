/// Something the daemon accepts but an operator should change (a secret file others can read, an unsigned webhook).
///
/// The library only collects warnings; the CLI prints them.
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// The configuration file (as given on the command line).
    public var file: String
    /// The 1-based line the warning is about; 0 when it is not about any one line.
    public var line: Int
    public var problem: String
    public var fix: String

    public init(file: String, line: Int, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
    }

    /// `FILE:LINE: warning: PROBLEM (fix: FIX)`, one line.
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return "\(place): warning: \(problem) (fix: \(fix))"
    }
}
