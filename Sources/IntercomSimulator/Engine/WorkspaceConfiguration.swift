/// The simulated workspace's identity and behaviour knobs.
public struct WorkspaceConfiguration: Sendable {
    /// `app.id_code` in `GET /me`, `app_id` and `workspace_id` on objects.
    public var workspaceID: String
    /// `app.name` in `GET /me`.
    public var name: String
    /// IANA timezone of the workspace: contact search date filters use its calendar days.
    public var timezone: String
    /// `app.region` in `GET /me`: `US`, `EU` or `AU`.
    public var region: String
    /// Seconds before a created or updated record becomes visible to search (get-by-id sees it at once).
    public var indexLag: Double
    /// Match contact date filters by the exact second (as newer API versions do) instead of by calendar day.
    public var exactSecondContactDates: Bool

    public init(
        workspaceID: String = "ecahpwf5",
        name: String = "Simulated Workspace",
        timezone: String = "America/Los_Angeles",
        region: String = "US",
        indexLag: Double = 0,
        exactSecondContactDates: Bool = false
    ) {
        self.workspaceID = workspaceID
        self.name = name
        self.timezone = timezone
        self.region = region
        self.indexLag = indexLag
        self.exactSecondContactDates = exactSecondContactDates
    }
}
