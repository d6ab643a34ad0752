import Foundation
import IntercomTriggersTesting
import Logging
import Synchronization
import Testing

@testable import IntercomTriggers

/// An event is labelled with the workspace it was detected in: a token for another workspace stops polling
/// and never relabels what is queued.
@Suite struct WorkspaceLabelTests {
    @Test func queuedEventsKeepTheirWorkspaceWhateverTokenComesLater() async throws {
        try await DeliveryFixture.with { fixture in
            let events = [StoreFixture.candidate("contact.lead.created", "c1", 100)]
            var routed = StoreFixture.page(events, routes: ["hook": nil], detectedAt: fixture.clock.seconds)
            routed.page.workspaceID = "ws_detected"
            try await fixture.store.commitPage(routed)
            let entry = try #require(try await fixture.pending("hook").first)
            #expect(entry.event.workspaceID == "ws_detected")
            // The sink's current identity (another token's workspace) is not what the receiver sees.
            let body = EventEnvelope(entry: entry, appID: "ws_other", attemptAt: 5).body
            #expect(String(decoding: body, as: UTF8.self).contains(#""app_id":"ws_detected""#))
            // Events queued before the store recorded workspaces take the sink's (the store's) id.
            var legacy = entry
            legacy.event.workspaceID = nil
            let old = EventEnvelope(entry: legacy, appID: "ws_store", attemptAt: 5).body
            #expect(String(decoding: old, as: UTF8.self).contains(#""app_id":"ws_store""#))
        }
    }

    @Test func aTokenForAnotherWorkspaceNeverBecomesTheDaemonsIdentity() async throws {
        try await TriggerHarness.run(at: PollerServiceTests.t0) { h in
            try await h.store.setAppID("ws_first")
            let identity = WorkspaceIdentity("ws_first")
            let poller = PollerService(
                store: h.store, source: IntercomObservationSource(client: h.client),
                settings: .init(topics: h.topics, interval: .seconds(2), lookback: 600, routes: [:]),
                clock: InstantWallClock(simulator: h.server.clock), logger: Logger(label: "test"),
                workspace: { "ws_second" }, onWorkspace: { identity.set($0) })
            await #expect(throws: WorkspaceMismatch.self) { _ = try await poller.resolveWorkspace() }
            #expect(identity.current == "ws_first")
        }
    }
}
