import Foundation
import IntercomSimulator
import Synchronization
import Testing

@testable import IntercomTriggers

/// A long pass commits a resume point with every page: after a failure in the middle the next pass reads
/// what was left, not the whole stream again, and every version still fires exactly once.
@Suite struct ResumedPassTests {
    static let t0 = PassCorrectnessTests.base + 43_200

    /// A source that fails every request after the first `pages` (an outage, a revoked token, a crash).
    struct FailingSource: ObservationSource {
        let inner: any ObservationSource
        let pages: Int
        let requests = HookedSource.Counter()

        func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage {
            guard requests.next() <= pages else { throw IntercomError.unauthorized("token revoked") }
            return try await inner.page(request, after: cursor)
        }
    }

    func pass(_ h: TriggerHarness, source: any ObservationSource) async throws -> PassReport {
        let store = h.store
        return try await ResourcePass(resource: .contacts, topics: h.topics, lookback: h.lookback, workspaceID: "ws")
            .run(source: source, store: store, now: h.now) { try await store.commit($0, routes: ["sink": nil]) }
    }

    @Test(arguments: [false, true])
    func aPassThatStopsPartWayIsResumedWhereItGotTo(exactSecondDates: Bool) async throws {
        let t0 = Self.t0
        try await TriggerHarness.run(at: t0, exactSecondDates: exactSecondDates, start: 0) { h in
            // A backfill of 3,000 contacts over a week: 20 pages of 150.
            let contacts = try (0..<3_000).map { index in
                try h.workspace.createContact(
                    role: index % 2 == 0 ? "lead" : "user", email: "c\(index)@example.com",
                    createdAt: t0 - 200 * (index + 1), updatedAt: t0 - 200 * (index + 1))
            }
            let source = IntercomObservationSource(client: h.client)
            await #expect(throws: IntercomError.self) {
                _ = try await pass(h, source: FailingSource(inner: source, pages: 15))
            }
            // 15 pages: a first page of 20, then 150 a page.
            let read = StreamRequest.firstPageSize(expecting: nil) + 14 * 150
            let stored = try #require(try await h.store.resumePoint(.contacts))
            #expect(stored.passStart == t0)
            #expect(stored.newest == t0 - 200)
            #expect(stored.reached == t0 - 200 * read)
            #expect(try await h.fired().count == read)

            h.advance(by: 60)
            let resumed = try await pass(h, source: source)
            #expect(resumed.resumed)
            // The 880 contacts left (plus, under day matching, the rest of the day it stopped in) and one
            // page of the new pass, instead of all 21 pages again.
            #expect(resumed.pages <= (exactSecondDates ? 8 : 10), "\(resumed.pages) requests")
            #expect(try await h.store.resumePoint(.contacts) == nil)
            let fired = try await h.fired()
            #expect(fired.count == contacts.count)
            #expect(Set(fired).count == contacts.count)
            for state in try await h.store.topicStates() where state.topic.hasPrefix("contact.") {
                // The new pass found nothing new: its start is not written while it is within half the lookback
                // of the stored one (ResourcePass.isQuiet).
                #expect(state.lastPassStart == t0)
                #expect(state.watermark == t0 - 199)
            }
        }
    }
}
