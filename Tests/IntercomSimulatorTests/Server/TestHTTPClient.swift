import Foundation
import IntercomSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A plain URLSession client for tests. Uses `dataTask` with a continuation: the async `data(for:)` deadlocks
/// on cancellation on this toolchain.
struct TestHTTPClient: Sendable {
    /// One HTTP answer.
    struct Reply: Sendable {
        var status: Int
        var body: Data
        private var headers: [String: String]

        init(status: Int, body: Data, headers: [String: String]) {
            self.status = status
            self.body = body
            self.headers = headers
        }

        /// A header by case-insensitive name.
        func header(_ name: String) -> String? { headers[name.lowercased()] }

        /// The body as a JSON object, or nil when it is not one.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }

        /// The first entry of an `error.list` body.
        var firstError: [String: String]? { (json?["errors"] as? [[String: String]])?.first }
    }

    struct NoResponse: Error {}

    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
    }

    func send(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: NoResponse())
                    return
                }
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
                }
                continuation.resume(returning: Reply(status: http.statusCode, body: data ?? Data(), headers: headers))
            }.resume()
        }
    }

    /// An API request with the simulator's token (unless `token` says otherwise).
    func api(
        _ method: String, _ path: String, on server: SimulatorServer, token: String? = nil,
        version: String? = nil, json: String? = nil
    ) async throws -> Reply {
        var headers = ["Authorization": "Bearer \(token ?? server.token)", "Accept": "application/json"]
        if let version { headers["Intercom-Version"] = version }
        if json != nil { headers["Content-Type"] = "application/json" }
        return try await send(
            method, URL(string: server.baseURL.absoluteString + path)!, headers: headers,
            body: json.map { Data($0.utf8) })
    }

    /// A control request under `/__sim/`, without credentials.
    func control(_ method: String, _ path: String, on server: SimulatorServer, json: String? = nil)
        async throws -> Reply
    {
        try await send(
            method, URL(string: server.baseURL.absoluteString + path)!, headers: ["Content-Type": "application/json"],
            body: json.map { Data($0.utf8) })
    }

    /// Lets go of the session's connections.
    func close() { session.finishTasksAndInvalidate() }
}
