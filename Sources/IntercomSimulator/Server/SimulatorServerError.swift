/// Why a simulator could not be used.
public enum SimulatorServerError: Error, Sendable, CustomStringConvertible {
    /// The server stopped (or failed to bind) before it was listening.
    case stoppedBeforeReady(host: String, port: Int)
    /// The server did not report a local port after binding.
    case noLocalPort

    public var description: String {
        switch self {
        case .stoppedBeforeReady(let host, let port): "the simulator stopped before listening on \(host):\(port)"
        case .noLocalPort: "the simulator's socket has no local port"
        }
    }
}
