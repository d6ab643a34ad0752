/// What a page commit does to its resource's resume point.
public enum ResumeChange: Sendable, Hashable {
    case keep
    case record(ResumePoint)
    case clear(Resource)
}

/// Everything one page of search results changes, committed in one transaction by ``StateStore/commitPage(_:)``.
public struct PageCommit: Sendable {
    /// Candidate versions with their event ids and raw items; versions already seen are skipped.
    public var events: [NewEvent]
    /// Versions to remember as seen without an event (a superseding topic fired for the same sighting).
    public var seenOnly: [SeenVersion]
    /// Topic → new watermark; a commit never moves a watermark backwards.
    public var watermarks: [String: Int]
    /// When the page was read (Unix seconds): the events' `created_at` on the wire.
    public var detectedAt: Int
    /// Contact id → role as seen on this page (with the version it was seen at), remembered for the next
    /// sighting.
    public var roles: [String: RoleSighting]
    /// Set on a pass's last page: when the pass started, stored for the topics of ``watermarks`` as
    /// ``TopicState/lastPassStart`` (never moving backwards).
    public var passStartedAt: Int?
    /// What the page does to its resource's ``ResumePoint``: a page in the middle of a pass records how
    /// far the pass got, the last page of a pass clears it.
    public var resume: ResumeChange = .keep
    /// The workspace the page was read from, recorded with each new event (its `app_id` on the wire).
    public var workspaceID: String?
    /// The store's workspace every row of the page is written under.
    public var workspace: StoreWorkspace = .first
    /// Whether contacts' snapshots are kept and updates carry `changes` (#14): set when an update topic of
    /// contacts is enabled, so a workspace without one stores no snapshot.
    public var keepsSnapshots = false
    /// Attribute paths that are not changes (`[triggers] ignore_fields`): left out of `changes`, and an update
    /// whose only differences are here is suppressed — seen, counted, no event.
    public var ignoredFields: Set<String> = []
    /// The lease the commit must still hold (a shared store, #16); nil: none to check (a SQLite store's one daemon).
    public var fence: LeaseFence?

    /// Creates a page commit.
    public init(
        events: [NewEvent], seenOnly: [SeenVersion] = [], watermarks: [String: Int], detectedAt: Int,
        roles: [String: RoleSighting] = [:], passStartedAt: Int? = nil, workspaceID: String? = nil
    ) {
        self.workspaceID = workspaceID
        self.passStartedAt = passStartedAt
        self.roles = roles
        self.events = events
        self.seenOnly = seenOnly
        self.watermarks = watermarks
        self.detectedAt = detectedAt
    }
}
