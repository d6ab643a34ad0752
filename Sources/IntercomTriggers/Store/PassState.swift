/// What a pass over one resource reads from the store before its first request: every topic of the workspace and
/// the resource's ``ResumePoint`` (``StateStore/passState(_:in:)``).
public struct PassState: Sendable, Hashable {
    /// Every topic of the workspace, as stored.
    public var topics: [TopicState]
    /// Where an unfinished pass over the resource stopped, if one did.
    public var resume: ResumePoint?

    public init(topics: [TopicState], resume: ResumePoint?) {
        self.topics = topics
        self.resume = resume
    }
}
