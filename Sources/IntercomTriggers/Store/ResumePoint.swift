import GRDB

/// Where an unfinished pass over a resource stands, committed with each of its pages: the next pass first
/// reads what this one had left (from ``reached`` down to ``bound``) instead of starting again from the
/// newest record, so a crash, a 401 or a storm of 5xx or 429 in the middle of a long backfill costs the
/// pages not yet read, not the whole pass.
public struct ResumePoint: Sendable, Hashable {
    /// The stream's resource.
    public var resource: Resource
    /// The stream's field: a resume point of another field (the topics changed) is dropped.
    public var field: VersionField
    /// When the unfinished pass started (its clock): becomes the topics' last pass start when it completes.
    public var passStart: Int
    /// The pass's lower bound: where it ends.
    public var bound: Int
    /// The newest timestamp the pass has read (capped at its clock plus the future margin), if any.
    public var newest: Int?
    /// The oldest timestamp of its last committed page: every record newer than this was read.
    public var reached: Int

    public init(resource: Resource, field: VersionField, passStart: Int, bound: Int, newest: Int?, reached: Int) {
        self.resource = resource
        self.field = field
        self.passStart = passStart
        self.bound = bound
        self.newest = newest
        self.reached = reached
    }
}

extension ResumePoint {
    /// Decodes a `pass_resume` row; `nil` when it names a resource or field this version does not know.
    init?(row: Row) {
        guard let resource = Resource(rawValue: row["resource"]), let field = VersionField(rawValue: row["field"])
        else { return nil }
        self.init(
            resource: resource, field: field, passStart: row["pass_start"], bound: row["bound"],
            newest: row["newest"], reached: row["reached"])
    }
}
