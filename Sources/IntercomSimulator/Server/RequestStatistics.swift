import Synchronization

/// Counts of API requests the simulator answered (control requests under `/__sim/` excluded), by method,
/// path template (ids replaced by `{id}`) and status, for tests and benchmarks.
public final class RequestStatistics: Sendable {
    /// One counted combination.
    public struct Key: Sendable, Hashable {
        /// `GET`, `POST`, …
        public var method: String
        /// The path with ids replaced by `{id}`, e.g. `/contacts/{id}`.
        public var pathTemplate: String
        /// The HTTP status answered.
        public var status: Int

        public init(method: String, pathTemplate: String, status: Int) {
            self.method = method
            self.pathTemplate = pathTemplate
            self.status = status
        }
    }

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    /// Counts one answered request.
    func record(method: String, path: String, status: Int) {
        let key = Key(method: method, pathTemplate: PathTemplate.template(for: path), status: status)
        counts.withLock { $0[key, default: 0] += 1 }
    }

    /// Every count so far.
    public var snapshot: [Key: Int] { counts.withLock { $0 } }

    /// All requests answered.
    public var total: Int { snapshot.values.reduce(0, +) }

    /// Requests matching every criterion given (`nil` matches anything).
    public func count(method: String? = nil, pathTemplate: String? = nil, status: Int? = nil) -> Int {
        snapshot.reduce(0) { sum, entry in
            let key = entry.key
            let matches =
                (method.map { $0 == key.method } ?? true)
                && (pathTemplate.map { $0 == key.pathTemplate } ?? true)
                && (status.map { $0 == key.status } ?? true)
            return matches ? sum + entry.value : sum
        }
    }

    /// Forgets every count.
    public func reset() { counts.withLock { $0.removeAll() } }

    /// The `GET /__sim/stats` body: `{"total": N, "by_endpoint": {"GET /contacts/{id}": N},
    /// "by_status": {"200": N}, "by_endpoint_status": {"GET /contacts/{id} 200": N}}`.
    var jsonObject: [String: Any] { Self.jsonObject(snapshot) }

    /// The `GET /__sim/stats` body for `counts`.
    static func jsonObject(_ counts: [Key: Int]) -> [String: Any] {
        var byEndpoint: [String: Int] = [:]
        var byStatus: [String: Int] = [:]
        var byEndpointStatus: [String: Int] = [:]
        var total = 0
        for (key, count) in counts {
            let endpoint = "\(key.method) \(key.pathTemplate)"
            byEndpoint[endpoint, default: 0] += count
            byStatus[String(key.status), default: 0] += count
            byEndpointStatus["\(endpoint) \(key.status)", default: 0] += count
            total += count
        }
        return [
            "total": total, "by_endpoint": byEndpoint, "by_status": byStatus, "by_endpoint_status": byEndpointStatus,
        ]
    }
}
