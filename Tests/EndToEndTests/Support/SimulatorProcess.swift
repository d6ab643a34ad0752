import Foundation
import IntercomTriggers

/// A running `intercom-sim` on a free port, and its API and `/__sim/` control endpoints over HTTP.
final class SimulatorProcess: Sendable {
    /// The access token the simulator accepts (its default).
    static let token = "sim-token"

    /// The child process.
    let process: ChildProcess
    /// The base URL, e.g. `http://127.0.0.1:40123`, as the simulator printed it.
    let baseURL: String

    /// Starts `intercom-sim --port 0` plus `arguments` (e.g. `["--contacts", "20000"]`) and waits (up to
    /// `timeout`) for the URL it prints first on stdout.
    init(_ arguments: [String] = [], in directory: TemporaryDirectory, timeout: Duration = .seconds(60)) async throws {
        let executable = try BuiltBinaries.url(for: BuiltBinaries.simulator)
        let process = try ChildProcess(
            executable, ["--port", "0", "--log-level", "warning"] + arguments, in: directory, name: "intercom-sim")
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var url: String?
        while url == nil {
            if let first = process.completeOutputLines.first {
                url = first.trimmingCharacters(in: .whitespaces)
                break
            }
            guard process.isRunning, clock.now < deadline else {
                process.kill()
                throw EndToEndError(
                    "intercom-sim printed no URL (\(process.termination?.description ?? "timed out")):\n"
                        + process.standardErrorTail())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        self.process = process
        baseURL = url ?? ""
    }

    /// Stops the simulator (SIGKILL; it keeps nothing).
    func stop() {
        process.kill()
    }

    // MARK: Control (`/__sim/`)

    /// `POST /__sim/<path>` with a JSON object body; answers the JSON object.
    @discardableResult
    func control(_ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        try await object(request("POST", "/__sim/" + path, body: body, authorized: false))
    }

    /// `GET /__sim/stats`: `total`, `by_endpoint`, `by_status`, `by_endpoint_status`.
    func stats() async throws -> [String: Any] {
        try await object(request("GET", "/__sim/stats", authorized: false))
    }

    /// Total API requests served so far (`/__sim/stats` `total`).
    func requestCount() async throws -> Int {
        (try await stats()["total"] as? Int) ?? 0
    }

    /// Creates a contact now (`POST /__sim/contacts`, e.g. `["role": "lead", "name": "Ada"]`); answers it.
    @discardableResult
    func createContact(_ fields: [String: Any]) async throws -> [String: Any] {
        try await control("contacts", fields)
    }

    // MARK: API

    /// The workspace id (`GET /me` → `app.id_code`): the first input of every event id.
    func workspaceID() async throws -> String {
        let me = try await object(request("GET", "/me"))
        guard let app = me["app"] as? [String: Any], let id = app["id_code"] as? String else {
            throw EndToEndError("GET /me has no app.id_code")
        }
        return id
    }

    /// Every contact (`GET /contacts`, all pages).
    func allContacts() async throws -> [[String: Any]] {
        try await listAll("/contacts", key: "data")
    }

    /// Every conversation (`GET /conversations`, all pages).
    func allConversations() async throws -> [[String: Any]] {
        try await listAll("/conversations", key: "conversations")
    }

    private func listAll(_ path: String, key: String) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var after: String?
        repeat {
            var query = "?per_page=150"
            if let after {
                query +=
                    "&starting_after="
                    + (after.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? after)
            }
            let page = try await object(request("GET", path + query))
            items += (page[key] as? [[String: Any]]) ?? []
            after = ((page["pages"] as? [String: Any])?["next"] as? [String: Any])?["starting_after"] as? String
        } while after != nil
        return items
    }

    // MARK: HTTP

    /// One request; answers the body, or throws on a transport error or a status other than 2xx.
    func request(_ method: String, _ path: String, body: [String: Any]? = nil, authorized: Bool = true)
        async throws -> Data
    {
        guard let url = URL(string: baseURL + path) else { throw EndToEndError("Bad URL \(baseURL + path)") }
        guard let verb = HTTPMethod(rawValue: method) else { throw EndToEndError("Unknown method \(method)") }
        var request = HTTPRequest(
            method: verb, url: url, headers: [("Accept", "application/json")], timeout: .seconds(30))
        if authorized { request.headers.append(("Authorization", "Bearer \(Self.token)")) }
        if let body {
            request.headers.append(("Content-Type", "application/json"))
            request.body = try JSONSerialization.data(withJSONObject: body)
        }
        let response = try await CurlTransport().send(request)
        let (data, status) = (response.body, response.status)
        guard (200..<300).contains(status) else {
            throw EndToEndError("\(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    private func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EndToEndError("Expected a JSON object, got: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return object
    }
}
