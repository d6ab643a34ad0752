import Foundation
import Testing

@testable import IntercomSimulator

/// A workspace on a pinned clock, driven through `handle` like the HTTP layer does.
struct EngineHarness {
    let clock: SimulatorClock
    let workspace: SimulatedWorkspace

    init(
        timezone: String = "America/Los_Angeles", exactSecond: Bool = false, indexLag: Double = 0,
        at unixTime: Double = 1_780_000_000
    ) {
        clock = SimulatorClock(pinnedAt: unixTime)
        workspace = SimulatedWorkspace(
            configuration: WorkspaceConfiguration(
                timezone: timezone, indexLag: indexLag, exactSecondContactDates: exactSecond),
            clock: clock)
    }

    /// One API call; the body is JSON text.
    func call(
        _ method: String, _ path: String, query: [String: String] = [:], body: String? = nil
    ) -> (status: Int, json: JSONValue) {
        let response = workspace.handle(
            SimRequest(method: method, path: path, query: query, body: body.map { Data($0.utf8) }))
        return (response.status, JSONValue.parse(response.body) ?? .null)
    }

    /// One control call under `/__sim/`.
    func control(_ method: String, _ path: String, body: String? = nil) -> (status: Int, json: JSONValue) {
        let response = workspace.handleControl(
            SimRequest(method: method, path: path, body: body.map { Data($0.utf8) }))
        return (response.status, JSONValue.parse(response.body) ?? .null)
    }

    /// `POST /{resource}/search` with `query` (JSON text), sorted, one page.
    func search(
        _ resource: String, _ query: String, sort: String? = nil, perPage: Int? = nil, after: String? = nil
    ) -> (status: Int, json: JSONValue) {
        var parts = [#""query":\#(query)"#]
        if let sort { parts.append(#""sort":\#(sort)"#) }
        var pagination: [String] = []
        if let perPage { pagination.append(#""per_page":\#(perPage)"#) }
        if let after { pagination.append(#""starting_after":"\#(after)""#) }
        if !pagination.isEmpty { parts.append(#""pagination":{\#(pagination.joined(separator: ","))}"#) }
        return call("POST", "/\(resource)/search", body: "{\(parts.joined(separator: ","))}")
    }

    /// The ids in a search/list answer, in order.
    static func ids(_ json: JSONValue) -> [String] {
        let items = json["data"]?.arrayValue ?? json["conversations"]?.arrayValue ?? []
        return items.compactMap { $0["id"]?.stringValue }
    }

    /// The dotted paths at which two rendered records differ: objects are compared member by member, anything else
    /// (lists too) whole; a member one side lacks is reported at its own path.
    static func changedPaths(_ old: JSONValue, _ new: JSONValue, prefix: String = "") -> Set<String> {
        guard case .object(let before) = old, case .object(let after) = new else { return old == new ? [] : [prefix] }
        var paths = Set<String>()
        for key in Set(before.keys + after.keys) {
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch (before[key], after[key]) {
            case (let previous?, let current?): paths.formUnion(changedPaths(previous, current, prefix: path))
            default: paths.insert(path)
            }
        }
        return paths
    }

    /// Follows `pages.next` until it is absent; returns every page's ids.
    func allPages(_ resource: String, _ query: String, sort: String, perPage: Int) -> [[String]] {
        var pages: [[String]] = []
        var after: String?
        repeat {
            let answer = search(resource, query, sort: sort, perPage: perPage, after: after)
            guard answer.status == 200 else { break }
            pages.append(Self.ids(answer.json))
            after = answer.json["pages"]?["next"]?["starting_after"]?.stringValue
        } while after != nil && pages.count < 1_000
        return pages
    }

    /// Unix seconds of a wall-clock time in `timezone`.
    static func local(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
        timezone: String = "America/Los_Angeles"
    ) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone)!
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Int(calendar.date(from: components)!.timeIntervalSince1970)
    }
}

/// Checks Intercom's error envelope and returns the first error's code and message.
func errorDetails(_ json: JSONValue) -> (code: String?, message: String?) {
    #expect(json["type"]?.stringValue == "error.list")
    #expect(json["request_id"]?.stringValue?.isEmpty == false)
    let first = json["errors"]?.arrayValue?.first
    return (first?["code"]?.stringValue, first?["message"]?.stringValue)
}
