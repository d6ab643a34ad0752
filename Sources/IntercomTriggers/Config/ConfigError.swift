/// A configuration the daemon refuses to start with: where in which file, what is wrong, and how to fix it.
///
/// The CLI prints ``description`` as one line on stderr and exits with ``exitCode`` (EX_CONFIG).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// sysexits.h `EX_CONFIG`: the exit status for any configuration problem.
    public static let exitCode: Int32 = 78

    /// The configuration file (as given on the command line).
    public var file: String
    /// The 1-based line the problem is on; 0 when it is not on any one line (the file itself, a missing key).
    public var line: Int
    /// What is wrong, in a few words.
    public var problem: String
    /// What to write instead.
    public var fix: String

    public init(file: String, line: Int, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
    }

    /// `FILE:LINE: PROBLEM (fix: FIX)`, one line.
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return "\(place): \(problem) (fix: \(fix))"
    }
}
