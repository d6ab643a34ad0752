/// Why a piece of TLS test equipment (``TestCertificates``, ``TLSTerminator``, ``ConnectProxy``) could not be
/// set up.
public enum TLSEquipmentError: Error, Sendable, CustomStringConvertible {
    /// A tool (`openssl`, `nginx`) is not installed where it was looked for.
    case toolMissing(String)
    /// Something other test equipment needs is not installed; the text says what and how to install it.
    case notInstalled(String)
    /// A command exited with a failure; `output` is what it wrote to stderr.
    case commandFailed(command: String, status: Int32, output: String)
    /// A server did not start listening; `log` is what it wrote.
    case notListening(what: String, log: String)

    public var description: String {
        switch self {
        case .toolMissing(let tool):
            "\(tool) is not installed (Debian: apt-get install nginx libnginx-mod-stream openssl)"
        case .notInstalled(let what):
            what
        case .commandFailed(let command, let status, let output):
            "\(command) exited with \(status): \(output)"
        case .notListening(let what, let log):
            "\(what) did not start listening: \(log)"
        }
    }
}
