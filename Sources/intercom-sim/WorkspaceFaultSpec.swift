import IntercomSimulator

/// One `--workspace-faults` value: `K:SETTINGS` or `K-L:SETTINGS` (workspaces K to L), SETTINGS a
/// comma-separated list of `revoked`, `latency=DURATION`, `error-rate=R` and `truncate-rate=R` (R in 0-1),
/// applied over the global fault flags for those workspaces only.
struct WorkspaceFaultSpec {
    /// The workspaces the settings apply to.
    var workspaces: ClosedRange<Int>
    var revoked = false
    var latency: Duration?
    var errorRate: Double?
    var truncateRate: Double?

    /// A refused value, with what to write instead.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `text` for a simulator serving `workspaceCount` workspaces.
    init(_ text: String, workspaceCount: Int) throws(Problem) {
        func problem(_ detail: String) -> Problem {
            Problem(description: "--workspace-faults '\(text)': \(detail)")
        }
        let halves = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[1].isEmpty else {
            throw problem("expected WORKSPACES:SETTINGS, e.g. 3:revoked or 2-10:latency=5s,error-rate=0.5")
        }
        let bounds = halves[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { Int($0) }
        guard let first = bounds.first ?? nil, let last = bounds.last ?? nil, first >= 1, first <= last,
            last <= workspaceCount
        else {
            throw problem("workspaces must be K or K-L within 1-\(workspaceCount)")
        }
        workspaces = first...last
        for setting in halves[1].split(separator: ",", omittingEmptySubsequences: false) {
            let pair = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            switch (pair[0], pair.count == 2 ? pair[1] : nil) {
            case ("revoked", nil):
                revoked = true
            case ("latency", let value?):
                guard let duration = DurationParser.parse(value) else {
                    throw problem("latency '\(value)' is not a duration, e.g. 5s")
                }
                latency = duration
            case ("error-rate", let value?), ("truncate-rate", let value?):
                guard let rate = Double(value), (0...1).contains(rate) else {
                    throw problem("\(pair[0]) must be between 0 and 1, got '\(value)'")
                }
                if pair[0] == "error-rate" { errorRate = rate } else { truncateRate = rate }
            default:
                throw problem(
                    "unknown setting '\(setting)'; expected revoked, latency=DURATION, error-rate=R, truncate-rate=R")
            }
        }
    }

    /// `settings` with this value's changes.
    func applied(to settings: FaultSettings) -> FaultSettings {
        var settings = settings
        if revoked { settings.tokenRevoked = true }
        if let latency { settings.latency = latency }
        if let errorRate { settings.serverErrorRate = errorRate }
        if let truncateRate { settings.truncatedBodyRate = truncateRate }
        return settings
    }
}
