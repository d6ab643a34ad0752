import Foundation
import Testing

@testable import IntercomTriggers

/// Updates that only move ignored fields (`[triggers] ignore_fields`) fire nothing, are remembered as seen and
/// counted; a destination's filter keeps its outbox free of events it does not match, and counts them.
@Suite struct SuppressedUpdatesTests {
    static let updated = "contact.user.updated"

    static func contact(_ version: Int, plan: String = "free", seen: Int = 0, city: String = "Berlin") -> String {
        #"{"type":"contact","id":"c1","updated_at":\#(version),"last_seen_at":\#(seen),"#
            + #""location":{"type":"location","city":"\#(city)"},"custom_attributes":{"plan":"\#(plan)"}}"#
    }

    static func commit(
        _ store: StateStore, _ events: [NewEvent],
        ignoring: [String] = DaemonConfiguration.Triggers.defaultIgnoreFields,
        routes: OutboxRoutes = ["console": nil]
    ) async throws -> PageOutcome {
        var page = StoreFixture.snapshotPage(events)
        page.ignoredFields = Set(ignoring)
        return try await store.commit(page, routes: routes)
    }

    /// The paths in the event's `changes`, sorted.
    static func changedPaths(_ event: StoredEvent) throws -> [String] {
        let json = try #require(event.changes)
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any]).keys.sorted()
    }

    static func update(_ version: Int, _ body: String) -> NewEvent {
        StoreFixture.candidate(updated, "c1", version, body: body)
    }

    @Test(arguments: StoreEngine.allCases) func anUpdateOfIgnoredFieldsOnlyIsSeenCountedAndFiresNothing(
        engine: StoreEngine
    ) async throws {
        try await StoreFixture.withStore(engine) { store in
            try await store.ensureTopics([Self.updated: 0])
            _ = try await Self.commit(store, [Self.update(100, Self.contact(100))])
            // last_seen_at and location moved (activity), nothing a person edited.
            let noise = try await Self.commit(store, [Self.update(200, Self.contact(200, seen: 199, city: "Paris"))])
            #expect(noise.queued.isEmpty)
            #expect(noise.suppressed == [Self.updated: 1])
            // Remembered as seen: read again (within the lookback), it is neither an event nor counted again.
            let again = try await Self.commit(store, [Self.update(200, Self.contact(200, seen: 199, city: "Paris"))])
            #expect(again == PageOutcome())
            #expect(try await store.topicStates().first { $0.topic == Self.updated }?.suppressedUpdates == 1)
            // A real edit after the noise fires, compared with the last version that was an event (the noise
            // differs from it only in ignored fields), listing only what is not ignored.
            let edit = try await Self.commit(
                store, [Self.update(300, Self.contact(300, plan: "pro", seen: 299, city: "Rome"))])
            let event = try #require(edit.queued.first)
            #expect(try Self.changedPaths(event) == ["custom_attributes.plan"])
            let report = try await StatusReport.collect(
                store: store, topics: [Self.updated], destinations: ["console"], now: 1_000)
            #expect(report.topics.first?.suppressedUpdates == 1)
            #expect(report.text().contains("1 updates suppressed: only ignored fields changed"))
        }
    }

    @Test(arguments: StoreEngine.allCases) func withNothingIgnoredTheSameUpdateFiresWithItsActivityChanges(
        engine: StoreEngine
    ) async throws {
        try await StoreFixture.withStore(engine) { store in
            _ = try await Self.commit(store, [Self.update(100, Self.contact(100))], ignoring: [])
            let outcome = try await Self.commit(
                store, [Self.update(200, Self.contact(200, seen: 199, city: "Paris"))], ignoring: [])
            let event = try #require(outcome.queued.first)
            // updated_at is the version, never a change, ignored or not.
            #expect(try Self.changedPaths(event) == ["last_seen_at", "location.city"])
            #expect(outcome.suppressed.isEmpty)
        }
    }

    @Test(arguments: StoreEngine.allCases) func onlyUpdatedAtMovingIsNoise(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store in
            _ = try await Self.commit(store, [Self.update(100, Self.contact(100))], ignoring: [])
            let outcome = try await Self.commit(store, [Self.update(200, Self.contact(200))], ignoring: [])
            #expect(outcome.queued.isEmpty)
            #expect(outcome.suppressed == [Self.updated: 1])
        }
    }

    @Test(arguments: StoreEngine.allCases) func aFirstSightingIsNeverSuppressed(engine: StoreEngine) async throws {
        try await StoreFixture.withStore(engine) { store in
            let outcome = try await Self.commit(store, [Self.update(100, Self.contact(100))])
            #expect(outcome.queued.count == 1)
            #expect(outcome.queued[0].changes == nil)
        }
    }

    @Test(arguments: StoreEngine.allCases) func aFilterThatDoesNotMatchLeavesNoOutboxRowAndIsCounted(
        engine: StoreEngine
    ) async throws {
        try await StoreFixture.withStore(engine) { store in
            let proOnly = OutboxRoute(topics: nil) { item, _ in
                String(decoding: item, as: UTF8.self).contains(#""plan":"pro""#)
            }
            let changedOnly = OutboxRoute(topics: [Self.updated]) { _, changes in changes != nil }
            let routes: OutboxRoutes = ["all": nil, "pro": proOnly, "changed": changedOnly]
            let first = try await Self.commit(store, [Self.update(100, Self.contact(100))], routes: routes)
            let second = try await Self.commit(
                store, [Self.update(200, Self.contact(200, plan: "pro"))], routes: routes)
            // Stored once each, whatever the filters said.
            #expect(first.queued.count == 1)
            #expect(second.queued.count == 1)
            #expect(first.filtered == ["pro": 1, "changed": 1])
            #expect(second.filtered.isEmpty)
            let all = try await store.dueOutbox(destination: "all", now: 2_000, limit: 10)
            let pro = try await store.dueOutbox(destination: "pro", now: 2_000, limit: 10)
            let changed = try await store.dueOutbox(destination: "changed", now: 2_000, limit: 10)
            #expect(all.map(\.event.version) == [100, 200])
            #expect(pro.map(\.event.version) == [200])
            #expect(changed.map(\.event.version) == [200])
            #expect(try await store.filteredCounts() == ["pro": 1, "changed": 1])
            let report = try await StatusReport.collect(
                store: store, topics: [], destinations: ["all", "pro", "changed"], now: 2_000)
            #expect(report.destinations.map(\.filtered) == [0, 1, 1])
            let proLine = report.text().split(separator: "\n").first { $0.hasPrefix("  pro:") }
            #expect(proLine?.hasSuffix(", 1 skipped by its filter") == true)
            #expect(report.text().split(separator: "\n").first { $0.hasPrefix("  all:") }?.contains("filter") == false)
        }
    }
}
