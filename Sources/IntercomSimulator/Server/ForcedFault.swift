/// A fault queued for the next API request, so tests can inject an exact sequence deterministically.
/// Each queued fault is consumed by one request that reaches the fault stage (past auth, version and rate limit).
public enum ForcedFault: Sendable, Equatable {
    /// Answer with this status and an `error.list` body instead of asking the workspace. A 429 carries the
    /// rate-limit headers with `X-RateLimit-Remaining: 0`; a 401 carries none, as Intercom does.
    case status(Int)
    /// Ask the workspace, then cut the response body in half.
    case truncate

    /// Parses the control-endpoint form: an integer status or the string `"truncate"`.
    init?(json value: Any) {
        if let text = value as? String {
            if text == "truncate" {
                self = .truncate
                return
            }
            guard let code = Int(text) else { return nil }
            self = .status(code)
        } else if let number = value as? Int {
            self = .status(number)
        } else {
            return nil
        }
        if case .status(let code) = self, !(400...599).contains(code) { return nil }
    }

    /// The control-endpoint form: an integer status or the string `"truncate"`.
    var jsonValue: Any {
        switch self {
        case .status(let code): code
        case .truncate: "truncate"
        }
    }
}
