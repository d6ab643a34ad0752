import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// The trigger engine against the simulator: every version fires exactly once, whatever Intercom's
/// search does (day-granular dates in any timezone, shared seconds, moving records, late indexing).
@Suite struct PassCorrectnessTests {
    /// 2026-11-17 00:00:00 UTC: a fixed base so the tests are reproducible.
    static let base = 1_794_960_000

    /// The first local midnight in `timezone` after `time`.
    static func localMidnight(after time: Int, in timezone: String) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone)!
        let date = Date(timeIntervalSince1970: Double(time))
        let next = calendar.nextDate(after: date, matching: DateComponents(hour: 0), matchingPolicy: .nextTime)!
        return Int(next.timeIntervalSince1970)
    }

    static func key(_ topic: String, _ id: String, _ version: Int) -> String { "\(topic) \(id) \(version)" }

    @Test(arguments: [
        ("America/Los_Angeles", false), ("America/Los_Angeles", true), ("Asia/Kolkata", false),
        ("Pacific/Chatham", false), ("UTC", false),
    ])
    func everyVersionFiresOnceAcrossLocalMidnight(timezone: String, exactSecondDates: Bool) async throws {
        let midnight = Self.localMidnight(after: Self.base, in: timezone)
        let t0 = midnight - 120
        try await TriggerHarness.run(at: t0, timezone: timezone, exactSecondDates: exactSecondDates) { h in
            var expected: [String] = []
            try await h.poll()
            await #expect(try h.fired().isEmpty)

            h.advance(to: t0 + 10)
            let lead = try h.workspace.createContact(role: "lead", email: "lead@example.com")
            let user = try h.workspace.createContact(role: "user", email: "user@example.com")
            expected += [
                Self.key("contact.lead.created", lead.id, t0 + 10), Self.key("contact.user.created", user.id, t0 + 10),
            ]
            h.advance(to: t0 + 20)
            try await h.poll()

            h.advance(to: t0 + 30)
            try h.workspace.touchContact(id: user.id)
            expected.append(Self.key("contact.user.updated", user.id, t0 + 30))
            // Created and updated between two polls: its creation, with the newest item, and no update.
            h.advance(to: t0 + 40)
            let quick = try h.workspace.createContact(role: "user", email: "quick@example.com")
            h.advance(to: t0 + 45)
            try h.workspace.touchContact(id: quick.id)
            expected.append(Self.key("contact.user.created", quick.id, t0 + 40))
            // A lead becoming a user signs up; it is never a new user.
            h.advance(to: t0 + 50)
            try h.workspace.touchContact(id: lead.id, role: "user")
            expected.append(Self.key("contact.lead.signed_up", lead.id, t0 + 50))
            h.advance(to: t0 + 55)
            let conversation = try h.workspace.createConversation(contactID: user.id, body: "Hello")
            expected.append(Self.key("conversation.user.created", conversation.id, t0 + 55))
            h.advance(to: t0 + 100)
            try await h.poll()

            // Either side of the workspace's local midnight.
            h.advance(to: midnight - 5)
            try h.workspace.touchContact(id: user.id)
            expected.append(Self.key("contact.user.updated", user.id, midnight - 5))
            h.advance(to: midnight + 5)
            try await h.poll()
            h.advance(to: midnight + 10)
            try h.workspace.touchContact(id: lead.id)
            expected.append(Self.key("contact.user.updated", lead.id, midnight + 10))
            h.advance(to: midnight + 20)
            try await h.poll()
            for _ in 0..<3 {
                h.advance(by: 30)
                try await h.poll()
            }
            let fired = try await h.fired()
            #expect(fired.sorted() == expected.sorted())
            // The quick user's event carries its newest state.
            let quickEvent = try #require(
                try await h.store.events(afterSeq: 0, topic: "contact.user.created", since: nil, limit: 10)
                    .first { $0.itemID == quick.id })
            let item = try JSONSerialization.jsonObject(with: quickEvent.item) as? [String: Any]
            #expect(item?["updated_at"] as? Int == t0 + 45)
        }
    }

    @Test func hundredsOfRecordsInOneSecondAreEachFiredOnce() async throws {
        let t0 = Self.base + 43_200
        try await TriggerHarness.run(at: t0) { h in
            h.advance(to: t0 + 5)
            let ids = try (0..<400).map { index in
                try h.workspace.createContact(role: "user", email: "same-\(index)@example.com").id
            }
            h.advance(to: t0 + 15)
            let reports = try await h.poll()
            // A first page of 20 (StreamRequest.firstPageSize(expecting: nil): no pass before), then 150 a page.
            #expect(reports.first { $0.resource == .contacts }?.pages == 4)
            await #expect(Set(try h.fired()) == Set(ids.map { Self.key("contact.user.created", $0, t0 + 5) }))
            await #expect(try h.fired().count == 400)
            h.advance(by: 60)
            try await h.poll()
            await #expect(try h.fired().count == 400)
        }
    }

    @Test(arguments: [
        (TopicCatalog.defaults, 1_000, VersionField.updatedAt), (TopicCatalog.defaults, 0, .createdAt),
        (TopicCatalog.defaults, -5, .createdAt),
        (TopicCatalog.defaults.filter { $0.version == .createdAt }, 1_000, .createdAt),
    ])
    func aPassReadsByUpdatedAtUnlessItReadsEverything(topics: [Topic], bound: Int, field: VersionField) {
        let pass = ResourcePass(resource: .contacts, topics: topics, lookback: 600, workspaceID: "ws")
        #expect(pass.field(bound: bound) == field)
    }

    /// A start in the past reads by `updated_at`; a backfill from the beginning (start 0) reads everything by
    /// `created_at`, where an update does not move a record between pages: either way every version fires once.
    @Test(arguments: [-10_000, nil])
    func recordsUpdatedWhileBeingPagedAreNeitherLostNorDoubled(startBefore: Int?) async throws {
        let t0 = Self.base + 43_200
        try await TriggerHarness.run(at: t0, start: startBefore.map { t0 + $0 } ?? 0) { h in
            // 450 users, one every 6 seconds: three full pages, newest first.
            let ids = try (0..<450).map { index in
                let time = t0 - 3_000 + index * 6
                return try h.workspace.createContact(
                    role: "user", email: "moving-\(index)@example.com", createdAt: time, updatedAt: time
                ).id
            }
            let oldest = Array(ids.prefix(5))  // on the last page: updating them moves them ahead of the cursor
            let newest = Array(ids.suffix(5))  // on the first page, already read
            let workspace = h.workspace
            h.afterPage = { page in
                guard page == 1 else { return }
                for id in oldest + newest { _ = try? workspace.touchContact(id: id) }
            }
            try await h.poll()
            h.afterPage = nil
            h.advance(by: 30)
            try await h.poll()
            h.advance(by: 30)
            try await h.poll()
            var expected = Set(
                ids.enumerated().map { Self.key("contact.user.created", $1, t0 - 3_000 + $0 * 6) })
            // The first-page users were already created events; their update fires. The moved ones were
            // never seen before their update, so they fire their creation with the newest item only.
            for id in newest { expected.insert(Self.key("contact.user.updated", id, t0)) }
            let fired = try await h.fired()
            #expect(fired.count == expected.count)
            #expect(Set(fired) == expected)
        }
    }

    @Test func recordsThatAppearLateBehindTheWatermarkFireOnce() async throws {
        let t0 = Self.base + 43_200
        try await TriggerHarness.run(at: t0) { h in
            h.advance(to: t0 + 10)
            let late = try h.workspace.createContact(role: "lead", email: "late@example.com", indexLag: 300)
            let owner = try h.workspace.createContact(role: "user", email: "owner@example.com")
            let lateConversation = try h.workspace.createConversation(
                contactID: owner.id, body: "Late hello", indexLag: 240)
            h.advance(to: t0 + 30)
            let early = try h.workspace.createContact(role: "user", email: "early@example.com")
            h.advance(to: t0 + 40)
            try await h.poll()
            await #expect(try h.fired().contains(Self.key("contact.user.created", early.id, t0 + 30)))
            await #expect(!(try h.fired().contains { $0.contains(late.id) }))
            // The watermark is now past the late records' timestamps; they show up within the lookback.
            for time in stride(from: t0 + 100, through: t0 + 700, by: 60) {
                h.advance(to: time)
                try await h.poll()
            }
            let fired = try await h.fired()
            #expect(fired.filter { $0 == Self.key("contact.lead.created", late.id, t0 + 10) }.count == 1)
            #expect(
                fired.filter { $0 == Self.key("conversation.user.created", lateConversation.id, t0 + 10) }.count
                    == 1)
            #expect(fired.count == 4)
        }
    }

    @Test func restartsAndTopicChangesNeverRefire() async throws {
        let t0 = Self.base + 43_200
        try await TriggerHarness.run(at: t0) { h in
            h.advance(to: t0 + 10)
            let lead = try h.workspace.createContact(role: "lead", email: "a@example.com")
            let user = try h.workspace.createContact(role: "user", email: "b@example.com")
            try h.workspace.createConversation(contactID: user.id, body: "Hi")
            h.advance(to: t0 + 20)
            try await h.poll()
            await #expect(try h.drain() == 3)
            try h.restart()
            h.advance(to: t0 + 40)
            try await h.poll()
            await #expect(try h.drain() == 0)
            let all = h.topics
            h.topics = [try #require(TopicCatalog.topic(named: "contact.lead.created"))]
            h.advance(to: t0 + 60)
            try h.workspace.touchContact(id: lead.id)
            try await h.poll()
            h.topics = all
            try h.restart()
            h.advance(to: t0 + 80)
            try await h.poll()
            // Only the lead's update is new (contact.lead.updated is in the catalog's full set).
            await #expect(try h.fired().count == 4)
            await #expect(try h.fired().last == Self.key("contact.lead.updated", lead.id, t0 + 60))
            await #expect(try h.drain() == 1)
        }
    }
}
