import Foundation

/// The test-only endpoints under `/__sim/` that concern the HTTP layer (statistics, clock, faults, rate limit);
/// every other control path belongs to the selected workspace.
///
/// `?workspace=k` selects workspace k (1…`workspaceCount`); without it a control acts on workspace 1.
/// `?workspace=all` is for the aggregates: `GET /__sim/stats`, `POST /__sim/stats/reset` and `GET /__sim/counts`.
/// The clock is the simulator's, shared by every workspace, whichever is selected.
extension SimulatorCore {
    /// The workspaces a control request acts on.
    enum Selection {
        case one(HostedWorkspace)
        case all
    }

    func control(_ incoming: Incoming) -> SimResponse {
        let selection: Selection
        do throws(APIError) {
            selection = try select(incoming.query["workspace"])
        } catch {
            return error.response
        }
        switch (incoming.method, String(incoming.path.dropFirst(Self.controlPrefix.count)), selection) {
        case ("GET", "/stats", .all):
            return Self.json(aggregateStatistics)
        case ("GET", "/stats", .one(let hosted)):
            return Self.json(hosted.statistics.jsonObject)
        case ("POST", "/stats/reset", .all):
            for hosted in workspaces { hosted.partsIfMade?.statistics.reset() }
            return Self.json(aggregateStatistics)
        case ("POST", "/stats/reset", .one(let hosted)):
            hosted.statistics.reset()
            return Self.json(hosted.statistics.jsonObject)
        case ("GET", "/counts", .all):
            return aggregateCounts
        case (_, _, .all):
            return APIError(
                code: "parameter_invalid",
                message: "workspace=all is only for GET /__sim/stats, POST /__sim/stats/reset and GET /__sim/counts",
                field: "workspace"
            ).response
        case ("GET", "/clock", _):
            return Self.json(["now": clock.now()])
        case ("POST", "/clock", _):
            return Self.withFields(incoming.body, controlClock)
        case ("GET", "/faults", .one(let hosted)):
            return Self.json(Self.faultsObject(hosted.parts.faults))
        case ("POST", "/faults", .one(let hosted)):
            return Self.withFields(incoming.body) { Self.controlFaults($0, hosted.parts.faults) }
        case ("GET", "/rate_limit", .one(let hosted)):
            return Self.json(rateLimitObject(hosted.parts.rateLimiter))
        case ("POST", "/rate_limit", .one(let hosted)):
            return Self.withFields(incoming.body) { controlRateLimit($0, hosted.parts.rateLimiter) }
        case (_, _, .one(let hosted)):
            return hosted.workspace.handleControl(
                SimRequest(
                    method: incoming.method, path: incoming.path, query: incoming.query, body: incoming.body,
                    apiVersion: Self.defaultVersion))
        }
    }

    /// Parses the `workspace` query parameter: absent is workspace 1.
    private func select(_ value: String?) throws(APIError) -> Selection {
        guard let value else { return .one(defaultWorkspace) }
        if value == "all" { return .all }
        guard let number = configuration.workspaceNumber(Substring(value)) else {
            throw APIError(
                code: "parameter_invalid",
                message: "workspace must be a workspace number from 1 to \(workspaces.count), or all",
                field: "workspace")
        }
        return .one(workspaces[number - 1])
    }

    /// Every workspace's statistics summed, plus `"workspaces": {"k": {"total", "by_status"}}` for each workspace
    /// that answered a request (an unused one is never made for this).
    private var aggregateStatistics: [String: Any] {
        var merged: [RequestStatistics.Key: Int] = [:]
        var byWorkspace: [String: Any] = [:]
        for hosted in workspaces {
            guard let counts = hosted.partsIfMade?.statistics.snapshot, !counts.isEmpty else { continue }
            merged.merge(counts, uniquingKeysWith: +)
            byWorkspace[String(hosted.number)] = RequestStatistics.jsonObject(counts).filter {
                $0.key == "total" || $0.key == "by_status"
            }
        }
        var object = RequestStatistics.jsonObject(merged)
        object["workspaces"] = byWorkspace
        return object
    }

    /// Every workspace's record counts summed, plus `"workspaces": {"k": counts}` for each workspace holding a
    /// record. An unused workspace is made only when it holds seed data.
    private var aggregateCounts: SimResponse {
        var sum = WorkspaceCounts.zero
        var byWorkspace: [String: Any] = [:]
        for hosted in workspaces where hosted.partsIfMade != nil || configuration.seedsRecords {
            let counts = hosted.workspace.counts
            guard counts != .zero else { continue }
            sum = sum + counts
            byWorkspace[String(hosted.number)] = Dictionary(uniqueKeysWithValues: counts.named)
        }
        var object: [String: Any] = Dictionary(uniqueKeysWithValues: sum.named)
        object["workspaces"] = byWorkspace
        return Self.json(object)
    }

    /// `{"pin": unix}`, `{"advance": seconds}` or `{"release": true}`; answers `{"now": unix}`.
    private func controlClock(_ fields: [String: Any]) -> SimResponse {
        if let problem = Self.unknownKeys(fields, allowed: ["pin", "advance", "release"]) { return problem }
        if let value = fields["pin"] {
            guard let seconds = Self.number(value), seconds.isFinite else { return Self.invalid("pin") }
            clock.pin(at: seconds)
        }
        if let value = fields["advance"] {
            guard let seconds = Self.number(value), seconds.isFinite else { return Self.invalid("advance") }
            clock.advance(by: seconds)
        }
        if let value = fields["release"] {
            guard let release = Self.boolean(value) else { return Self.invalid("release") }
            if release { clock.release() }
        }
        return Self.json(["now": clock.now()])
    }

    /// Any of `error_rate`, `truncate_rate` (0…1), `latency_ms` (≥ 0), `revoked` (every request answers 401),
    /// `seed` (restarts the random sequence) and `next` (replaces the forced queue: statuses and `"truncate"`);
    /// answers the resulting settings.
    private static func controlFaults(_ fields: [String: Any], _ faults: FaultInjector) -> SimResponse {
        let allowed: Set = ["error_rate", "truncate_rate", "latency_ms", "revoked", "seed", "next"]
        if let problem = Self.unknownKeys(fields, allowed: allowed) { return problem }
        var settings = faults.settings
        if let value = fields["error_rate"] {
            guard let rate = Self.number(value), (0...1).contains(rate) else { return Self.invalid("error_rate") }
            settings.serverErrorRate = rate
        }
        if let value = fields["truncate_rate"] {
            guard let rate = Self.number(value), (0...1).contains(rate) else { return Self.invalid("truncate_rate") }
            settings.truncatedBodyRate = rate
        }
        if let value = fields["latency_ms"] {
            guard let milliseconds = Self.number(value), milliseconds >= 0, milliseconds.isFinite else {
                return Self.invalid("latency_ms")
            }
            settings.latency = .milliseconds(milliseconds)
        }
        if let value = fields["revoked"] {
            guard let revoked = Self.boolean(value) else { return Self.invalid("revoked") }
            settings.tokenRevoked = revoked
        }
        var seed: UInt64?
        if let value = fields["seed"] {
            guard let number = Self.number(value), number >= 0, number < 0x1p64, number == number.rounded() else {
                return Self.invalid("seed")
            }
            seed = UInt64(number)
        }
        var forced: [ForcedFault]?
        if let value = fields["next"] {
            guard let list = value as? [Any] else { return Self.invalid("next") }
            let parsed = list.compactMap(ForcedFault.init(json:))
            guard parsed.count == list.count else { return Self.invalid("next") }
            forced = parsed
        }
        // Validate everything before changing anything, so a rejected request has no effect.
        faults.settings = settings
        if let seed { faults.reseed(seed) }
        if let forced { faults.force(forced) }
        return Self.json(faultsObject(faults))
    }

    /// `{"per_window": N}` and/or `{"reset_window": true}`; answers the current budget.
    private func controlRateLimit(_ fields: [String: Any], _ rateLimiter: RateLimiter) -> SimResponse {
        if let problem = Self.unknownKeys(fields, allowed: ["per_window", "reset_window"]) { return problem }
        var perWindow: Int?
        if let value = fields["per_window"] {
            guard let number = Self.number(value), number >= 1, number <= 1e9, number == number.rounded() else {
                return Self.invalid("per_window")
            }
            perWindow = Int(number)
        }
        var resetWindow = false
        if let value = fields["reset_window"] {
            guard let flag = Self.boolean(value) else { return Self.invalid("reset_window") }
            resetWindow = flag
        }
        if let perWindow { rateLimiter.perWindow = perWindow }
        if resetWindow { rateLimiter.resetWindow() }
        return Self.json(rateLimitObject(rateLimiter))
    }

    private static func faultsObject(_ faults: FaultInjector) -> [String: Any] {
        let settings = faults.settings
        let latency = settings.latency.components
        let milliseconds = Double(latency.seconds) * 1000 + Double(latency.attoseconds) / 1e15
        return [
            "error_rate": settings.serverErrorRate, "truncate_rate": settings.truncatedBodyRate,
            "latency_ms": milliseconds, "revoked": settings.tokenRevoked, "next": faults.forced.map(\.jsonValue),
        ]
    }

    private func rateLimitObject(_ rateLimiter: RateLimiter) -> [String: Any] {
        let current = rateLimiter.peek(now: clock.now())
        return ["per_window": current.limit, "remaining": current.remaining, "reset": current.reset]
    }

    // MARK: JSON helpers

    /// Calls `handler` with the body's fields (none without a body), or refuses a body that is not a JSON object.
    private static func withFields(_ body: Data?, _ handler: ([String: Any]) -> SimResponse) -> SimResponse {
        guard let body, !body.isEmpty else { return handler([:]) }
        guard let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return .error(status: 400, code: "parameter_invalid", message: "The body must be a JSON object")
        }
        return handler(fields)
    }

    /// A JSON number as a Double; `true`/`false` are not numbers here, although Foundation bridges them.
    private static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// A JSON `true`/`false`; numbers are not booleans here, although Foundation bridges them.
    private static func boolean(_ value: Any) -> Bool? {
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    /// Foundation parses JSON booleans into `NSNumber`s of Objective-C type `c` (char); numbers are never `c`.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private static func unknownKeys(_ fields: [String: Any], allowed: Set<String>) -> SimResponse? {
        guard let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) else { return nil }
        return .error(
            status: 400, code: "parameter_invalid",
            message: "Unknown field '\(unknown)'; expected one of "
                + allowed.sorted().joined(separator: ", "), field: unknown)
    }

    private static func invalid(_ field: String) -> SimResponse {
        .error(status: 400, code: "parameter_invalid", message: "Invalid value for '\(field)'", field: field)
    }

    private static func json(_ object: [String: Any]) -> SimResponse {
        let body =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return SimResponse(status: 200, body: body)
    }
}
