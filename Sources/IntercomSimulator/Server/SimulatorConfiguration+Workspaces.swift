/// How the workspaces of a simulator with `workspaceCount` > 1 differ: each one's token, app id, name, timezone
/// and seed derive from this configuration and the workspace's number, so a run is reproducible.
extension SimulatorConfiguration {
    /// The workspace counts a simulator serves (`intercom-sim --workspaces` refuses others).
    public static let workspaceCounts = 1...10_000

    /// The timezones of workspaces 2, 3, … in turn (workspace 1 keeps `workspace.timezone`): real zones with
    /// whole, half- and quarter-hour offsets, so day boundaries differ from one workspace to the next.
    static let workspaceTimezones = [
        "Asia/Kolkata", "Europe/London", "America/St_Johns", "Australia/Adelaide", "America/New_York",
        "Asia/Kathmandu", "Pacific/Auckland", "Asia/Tokyo", "Europe/Berlin", "Pacific/Honolulu",
    ]

    /// The access token of workspace `number`: `<token>-<number>`, e.g. `sim-token-2`. Workspace 1 also
    /// answers to `token` itself, so single-workspace callers keep working.
    public func token(forWorkspace number: Int) -> String { "\(token)-\(number)" }

    /// `workspaceCount` within `workspaceCounts`.
    var servedWorkspaceCount: Int {
        min(max(workspaceCount, Self.workspaceCounts.lowerBound), Self.workspaceCounts.upperBound)
    }

    /// The workspace a bearer token routes to: `token` is workspace 1, `<token>-k` is workspace k; nil for any
    /// other token.
    func workspaceNumber(forToken candidate: String) -> Int? {
        if candidate == token { return 1 }
        guard candidate.hasPrefix(token + "-") else { return nil }
        return workspaceNumber(candidate.dropFirst(token.count + 1))
    }

    /// The workspace number written in `digits` (decimal, without sign or leading zeros), if the simulator
    /// serves it.
    func workspaceNumber(_ digits: Substring) -> Int? {
        guard let first = digits.first, first != "0", digits.count <= 5,
            digits.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(digits), number <= servedWorkspaceCount
        else { return nil }
        return number
    }

    /// Workspace `number`'s identity and behaviour: workspace 1 is `workspace` itself; each other one has its own
    /// app id (distinct from every other workspace's), name and timezone, and the same index lag and date matching.
    func workspaceConfiguration(_ number: Int) -> WorkspaceConfiguration {
        guard number > 1 else { return workspace }
        var derived = workspace
        derived.workspaceID = Self.appID(base: workspace.workspaceID, number: number)
        derived.name = "\(workspace.name) \(number)"
        derived.timezone = Self.workspaceTimezones[(number - 2) % Self.workspaceTimezones.count]
        return derived
    }

    /// The seed of workspace `number`'s faults and seed data: `seed` for workspace 1, a distinct one for each other.
    func seed(forWorkspace number: Int) -> UInt64 {
        seed &+ UInt64(truncatingIfNeeded: number - 1) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Whether a workspace holds seed data before anything is asked of it.
    var seedsRecords: Bool { seedContacts > 0 || seedConversations > 0 || seedCompanies > 0 }

    /// An app id like Intercom's (lowercase letters and digits): the base's first four characters, a fifth that
    /// differs from the base's fifth (so it never equals the base) and `number` in base 36, padded to three.
    static func appID(base: String, number: Int) -> String {
        let marker = base.dropFirst(4).first == "0" ? "1" : "0"
        let digits = String(number, radix: 36)
        return base.prefix(4) + marker + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
