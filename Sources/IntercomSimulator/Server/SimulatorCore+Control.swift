import Foundation

/// The test-only endpoints under `/__sim/` that concern the HTTP layer (statistics, clock, faults, rate limit);
/// every other control path belongs to the workspace.
extension SimulatorCore {
    func control(_ incoming: Incoming) -> SimResponse {
        switch (incoming.method, String(incoming.path.dropFirst(Self.controlPrefix.count))) {
        case ("GET", "/stats"):
            return Self.json(statistics.jsonObject)
        case ("POST", "/stats/reset"):
            statistics.reset()
            return Self.json(statistics.jsonObject)
        case ("GET", "/clock"):
            return Self.json(["now": clock.now()])
        case ("POST", "/clock"):
            return Self.withFields(incoming.body, controlClock)
        case ("GET", "/faults"):
            return Self.json(faultsObject)
        case ("POST", "/faults"):
            return Self.withFields(incoming.body, controlFaults)
        case ("GET", "/rate_limit"):
            return Self.json(rateLimitObject)
        case ("POST", "/rate_limit"):
            return Self.withFields(incoming.body, controlRateLimit)
        default:
            return workspace.handleControl(
                SimRequest(
                    method: incoming.method, path: incoming.path, query: incoming.query, body: incoming.body,
                    apiVersion: Self.defaultVersion))
        }
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

    /// Any of `error_rate`, `truncate_rate` (0…1), `latency_ms` (≥ 0), `seed` (restarts the random sequence)
    /// and `next` (replaces the forced queue: statuses and `"truncate"`); answers the resulting settings.
    private func controlFaults(_ fields: [String: Any]) -> SimResponse {
        let allowed: Set = ["error_rate", "truncate_rate", "latency_ms", "seed", "next"]
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
        return Self.json(faultsObject)
    }

    /// `{"per_window": N}` and/or `{"reset_window": true}`; answers the current budget.
    private func controlRateLimit(_ fields: [String: Any]) -> SimResponse {
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
        return Self.json(rateLimitObject)
    }

    private var faultsObject: [String: Any] {
        let settings = faults.settings
        let latency = settings.latency.components
        let milliseconds = Double(latency.seconds) * 1000 + Double(latency.attoseconds) / 1e15
        return [
            "error_rate": settings.serverErrorRate, "truncate_rate": settings.truncatedBodyRate,
            "latency_ms": milliseconds, "next": faults.forced.map(\.jsonValue),
        ]
    }

    private var rateLimitObject: [String: Any] {
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
