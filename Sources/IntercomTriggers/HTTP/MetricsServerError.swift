/// Why the metrics endpoint is not serving.
public enum MetricsServerError: Error, Sendable, CustomStringConvertible {
    /// The `[metrics] listen` address could not be bound (in use, not local, no permission).
    case cannotListen(address: String, reason: String)
    /// The server stopped (shutdown) before it listened.
    case stoppedBeforeListening(address: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            "the metrics endpoint cannot listen on \(address) ([metrics] listen): \(reason)"
        case .stoppedBeforeListening(let address):
            "the metrics endpoint stopped before it listened on \(address)"
        }
    }
}
