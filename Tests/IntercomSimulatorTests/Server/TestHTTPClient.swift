import Foundation
import IntercomSimulator
import IntercomTriggers

/// A plain client for the simulator tests, over the daemon's own transport.
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

    private let transport = CurlTransport()

    func send(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Reply {
        guard let method = HTTPMethod(rawValue: method) else { throw UnknownMethod(name: method) }
        let response = try await transport.send(
            HTTPRequest(
                method: method, url: url, headers: headers.map { (name: $0.key, value: $0.value) }, body: body,
                // A bound against a hang, not a speed: the full suite on two cores can keep an answer waiting for
                // seconds (the 4-s latency tests stay far below it).
                timeout: .seconds(30)))
        var fields: [String: String] = [:]
        for (name, value) in response.headers { fields[name.lowercased()] = value }
        return Reply(status: response.status, body: response.body, headers: fields)
    }

    struct UnknownMethod: Error { var name: String }

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
}
