import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// Change-aware updates through real passes against the simulator: what an edit changed (custom and nested
/// attributes, lists, added and removed attributes), a lead converted to a user, and activity that is no edit.
@Suite struct ChangeAwarePassTests {
    static let t0 = 1_790_000_000

    /// The `changes` of the newest event of `topic` for `id`, as path → [previous, current] (JSON text, "-" when a
    /// side is absent); nil when the event has none.
    static func changes(_ h: TriggerHarness, _ topic: String, _ id: String) async throws -> [String: [String]]? {
        let events = try await h.store.events(afterSeq: 0, topic: topic, since: nil, limit: 1_000)
        guard let event = events.last(where: { $0.itemID == id }), let json = event.changes else { return nil }
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: [String: Any]])
        func text(_ value: Any?) throws -> String {
            guard let value else { return "-" }
            let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        return try object.mapValues { [try text($0["previous"]), try text($0["current"])] }
    }

    @Test func anEditSaysWhatChangedAtAnyDepthAndListsWhole() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let user = try h.workspace.createContact(
                role: "user", email: "ada@example.com", customAttributes: ["plan": "free"])
            h.advance(to: Self.t0 + 20)
            try await h.poll()
            // First sighting: a created event, no update.
            #expect(try await Self.changes(h, "contact.user.updated", user.id) == nil)
            h.advance(to: Self.t0 + 40)
            try h.workspace.setContactAttributes(
                id: user.id,
                [
                    "custom_attributes.plan": "pro", "custom_attributes.seats": 5, "name": "Ada Lovelace",
                    "custom_attributes.flags": ["beta", "vip"],
                ])
            h.advance(to: Self.t0 + 60)
            try await h.poll()
            let changes = try #require(try await Self.changes(h, "contact.user.updated", user.id))
            #expect(changes["custom_attributes.plan"] == [#""free""#, #""pro""#])
            #expect(changes["custom_attributes.seats"] == ["-", "5"])  // added
            #expect(changes["custom_attributes.flags"] == ["-", #"["beta","vip"]"#])  // a list, whole
            #expect(changes["name"]?.last == #""Ada Lovelace""#)
            #expect(changes["updated_at"] == nil)
            // A list changed, an attribute removed (null in Intercom removes a custom attribute).
            h.advance(to: Self.t0 + 80)
            try h.workspace.setContactAttributes(
                id: user.id, ["custom_attributes.flags": ["vip"], "custom_attributes.seats": nil])
            h.advance(to: Self.t0 + 100)
            try await h.poll()
            let second = try #require(try await Self.changes(h, "contact.user.updated", user.id))
            #expect(second["custom_attributes.flags"] == [#"["beta","vip"]"#, #"["vip"]"#])
            #expect(second["custom_attributes.seats"] == ["5", "-"])
            #expect(second.count == 2)
        }
    }

    @Test func activityAloneFiresNothingAndIsCountedThenAnEditFires() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let user = try h.workspace.createContact(role: "user", email: "bo@example.com")
            h.advance(to: Self.t0 + 20)
            try await h.poll()
            let before = try await h.fired()
            h.advance(to: Self.t0 + 40)
            try h.workspace.recordContactActivity(id: user.id, ["last_seen_at": 1_790_000_039, "browser": "safari"])
            h.advance(to: Self.t0 + 60)
            let reports = try await h.poll()
            #expect(try await h.fired() == before)
            #expect(reports.first?.suppressedByTopic == ["contact.user.updated": 1])
            let state = try await h.store.topicStates().first { $0.topic == "contact.user.updated" }
            #expect(state?.suppressedUpdates == 1)
            // Read again within the lookback: neither an event nor counted twice.
            h.advance(to: Self.t0 + 80)
            let again = try await h.poll()
            #expect(again.first?.suppressedByTopic.isEmpty == true)
            h.advance(to: Self.t0 + 100)
            try h.workspace.setContactAttributes(id: user.id, ["custom_attributes.plan": "pro"])
            h.advance(to: Self.t0 + 120)
            try await h.poll()
            // Compared with the last version that was an event, listing only the edit.
            #expect(
                try await Self.changes(h, "contact.user.updated", user.id) == [
                    "custom_attributes.plan": ["-", #""pro""#]
                ])
        }
    }

    @Test func aLeadConvertedToAUserSignsUpWithItsChanges() async throws {
        try await TriggerHarness.run(at: Self.t0) { h in
            let lead = try h.workspace.createContact(role: "lead", customAttributes: ["plan": "trial"])
            h.advance(to: Self.t0 + 20)
            try await h.poll()
            h.advance(to: Self.t0 + 40)
            try h.workspace.touchContact(id: lead.id, role: "user")
            h.advance(to: Self.t0 + 60)
            try await h.poll()
            let fired = try await h.fired().filter { $0.contains(lead.id) }
            #expect(
                fired == [
                    "contact.lead.created \(lead.id) \(Self.t0)", "contact.lead.signed_up \(lead.id) \(Self.t0 + 40)",
                ])
            // signed_up is no update topic: its event says nothing of changes; the next edit of the user does.
            h.advance(to: Self.t0 + 80)
            try h.workspace.setContactAttributes(id: lead.id, ["email": "now.a.user@example.com"])
            h.advance(to: Self.t0 + 100)
            try await h.poll()
            let changes = try #require(try await Self.changes(h, "contact.user.updated", lead.id))
            #expect(changes["email"]?.last == #""now.a.user@example.com""#)
            #expect(changes["role"] == nil)  // the role changed in the version before, already seen
        }
    }
}
