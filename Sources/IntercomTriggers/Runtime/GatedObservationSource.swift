import Foundation

/// A source whose page requests pass through a ``PollGate`` shared by every workspace: at most `limit` requests
/// are in flight across the daemon. A place is held for one page, not a whole pass, so a workspace's long backfill
/// queues for each page behind the others' polls instead of keeping them waiting, and a slow workspace holds one
/// place while its request lasts.
public struct GatedObservationSource: ObservationSource {
    let source: any ObservationSource
    let gate: PollGate

    /// `source`, its requests admitted by `gate`.
    public init(_ source: any ObservationSource, gate: PollGate) {
        self.source = source
        self.gate = gate
    }

    public func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage {
        let permit = try await gate.enter()
        defer { permit.leave() }
        return try await source.page(request, after: cursor)
    }

    public func serverNow() -> Date? { source.serverNow() }
}
