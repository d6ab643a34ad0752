/// Where a pass reads pages from: Intercom search in production, a scripted fake in tests.
public protocol ObservationSource: Sendable {
    /// The page of `request` after `cursor` (nil: the first page).
    func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage
}
