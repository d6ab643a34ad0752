import Foundation

/// Where a pass reads pages from: Intercom search in production, a scripted fake in tests.
public protocol ObservationSource: Sendable {
    /// The page of `request` after `cursor` (nil: the first page).
    func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage

    /// The source's own clock (Intercom's, from its responses), nil while unknown: a pass's start is read
    /// from it, so the lookback and the future-date margin follow Intercom's time, not the host's.
    func serverNow() -> Date?
}

extension ObservationSource {
    /// No clock of its own: the host's is used.
    public func serverNow() -> Date? { nil }
}
