import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct CloudEventTests {
    static let contact = #"{ "type" : "contact","id":"c1",  "role":"user","custom_attributes":{"plan":"pro"} }"#
    static let changes = #"{"custom_attributes.plan":{"previous":"free","current":"pro"}}"#
    static let conversation = #"{"type":"conversation","id":"215","source":{"author":{"type":"user"}}}"#

    static func event(
        id: String = "evt_1", topic: String = "contact.user.created", itemID: String = "c1",
        version: Int = 1_763_716_800,
        item: String = contact, changes: String? = nil, workspaceID: String? = nil
    ) -> StoredEvent {
        StoredEvent(
            seq: 7, id: id, topic: topic, itemID: itemID, version: version, detectedAt: 1_763_716_900,
            item: Data(item.utf8), workspaceID: workspaceID, changes: changes.map { Data($0.utf8) })
    }

    static func text(_ event: StoredEvent, appID: String = "ws_9") -> String {
        String(decoding: CloudEvent(event: event, appID: appID).body, as: UTF8.self)
    }

    static func head(id: String = "evt_1", type: String, subject: String, time: String = "2025-11-21T09:20:00Z")
        -> String
    {
        #"{"specversion":"1.0","id":"\#(id)","source":"https://app.intercom.com/a/apps/ws_9","#
            + #""type":"\#(type)","subject":"\#(subject)","time":"\#(time)","datacontenttype":"application/json","#
    }

    @Test func aCreatedEventCarriesTheItemVerbatimAndNoChanges() {
        let expected =
            Self.head(type: "com.intercom.contact.user.created", subject: "c1") + #""data":{"item":"# + Self.contact
            + "}}"
        #expect(Self.text(Self.event()) == expected)
    }

    @Test func anUpdateCarriesItsChangesVerbatim() {
        let event = Self.event(topic: "contact.user.updated", changes: Self.changes)
        let expected =
            Self.head(type: "com.intercom.contact.user.updated", subject: "c1") + #""data":{"item":"# + Self.contact
            + #","changes":"# + Self.changes + "}}"
        #expect(Self.text(event) == expected)
    }

    @Test(arguments: ["contact.user.updated", "contact.lead.updated"])
    func anUpdateWithoutAnEarlierVersionSaysSoAsTheEnvelopeDoes(topic: String) throws {
        let event = Self.event(topic: topic)
        let text = Self.text(event)
        #expect(text.hasSuffix(#""data":{"item":"# + Self.contact + #","changes_unavailable":"no_earlier_version"}}"#))
        // The same `data` members as the Intercom envelope's.
        let envelope = try Self.object(
            EventEnvelope(event: event, appID: "ws_9", deliveryAttempts: 1, firstSentAt: 1).body)
        let data = try #require(envelope["data"] as? [String: Any])
        let cloud = try #require(try Self.object(Data(text.utf8))["data"] as? [String: Any])
        #expect(cloud["changes_unavailable"] as? String == data["changes_unavailable"] as? String)
        #expect(cloud.keys.sorted() == ["changes_unavailable", "item"])
    }

    @Test func aConversationIsNamedByItsID() {
        let event = Self.event(
            topic: "conversation.user.created", itemID: "215", version: 951_782_400, item: Self.conversation)
        let expected =
            Self.head(type: "com.intercom.conversation.user.created", subject: "215", time: "2000-02-29T00:00:00Z")
            + #""data":{"item":"# + Self.conversation + "}}"
        #expect(Self.text(event) == expected)
    }

    @Test func theBodyParsesWithEveryAttribute() throws {
        let object = try Self.object(CloudEvent(event: Self.event(changes: Self.changes), appID: "ws_9").body)
        #expect(object["specversion"] as? String == "1.0")
        #expect(object["id"] as? String == "evt_1")
        #expect(object["source"] as? String == "https://app.intercom.com/a/apps/ws_9")
        #expect(object["type"] as? String == "com.intercom.contact.user.created")
        #expect(object["subject"] as? String == "c1")
        #expect(object["time"] as? String == "2025-11-21T09:20:00Z")
        #expect(object["datacontenttype"] as? String == "application/json")
        let data = try #require(object["data"] as? [String: Any])
        #expect((data["item"] as? [String: Any])?["id"] as? String == "c1")
        #expect((data["changes"] as? [String: Any])?["custom_attributes.plan"] != nil)
        #expect(object.count == 8)
    }

    @Test func theEventsOwnWorkspaceIsTheSourceAndEveryAttemptSendsTheSameBytes() throws {
        let entry = { (attempts: Int) in
            OutboxEntry(
                destination: "d", event: Self.event(workspaceID: "ws_recorded"), attempts: attempts, nextAttemptAt: 0,
                firstSentAt: attempts == 0 ? nil : 5)
        }
        let first = EventFormat.cloudevents.body(of: entry(0), appID: "ws_now", attemptAt: 10)
        let later = EventFormat.cloudevents.body(of: entry(3), appID: "ws_now", attemptAt: 9_999)
        #expect(first == later)
        #expect(try Self.object(first)["source"] as? String == "https://app.intercom.com/a/apps/ws_recorded")
        let unrecorded = OutboxEntry(destination: "d", event: Self.event(), attempts: 0, nextAttemptAt: 0)
        #expect(
            try Self.object(EventFormat.cloudevents.body(of: unrecorded, appID: "ws_now", attemptAt: 1))["source"]
                as? String == "https://app.intercom.com/a/apps/ws_now")
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a\"b\\c", "a\"b\\c"),
        ("line\nbreak\r\ttab\u{00}\u{1F}", "line\nbreak\r\ttab\u{00}\u{1F}"),
        ("é☃😀/\u{7F}\u{2028}", "é☃😀/\u{7F}\u{2028}"),
    ])
    func idsTopicsAndItemIDsAreEscaped(raw: String, parsed: String) throws {
        let body = CloudEvent(event: Self.event(id: raw, topic: raw, itemID: raw), appID: "ws").body
        #expect(!body.contains(0x0A) && !body.contains(0x0D))
        let object = try Self.object(body)
        #expect(object["id"] as? String == parsed)
        #expect(object["type"] as? String == "com.intercom." + parsed)
        #expect(object["subject"] as? String == parsed)
    }

    @Test(arguments: [
        ("ws_9", "ws_9"), ("A-z0.9_~", "A-z0.9_~"), ("a/b?c#d", "a%2Fb%3Fc%23d"), ("a b\"\\", "a%20b%22%5C"),
        ("\n\u{00}", "%0A%00"), ("é😀", "%C3%A9%F0%9F%98%80"), ("%41", "%2541"), ("", ""),
    ])
    func theSourceIsAURIWhateverTheWorkspaceIDHolds(appID: String, encoded: String) throws {
        let source = CloudEvent.source(appID: appID)
        #expect(source == "https://app.intercom.com/a/apps/" + encoded)
        #expect(URL(string: source) != nil)
        #expect(try Self.object(CloudEvent(event: Self.event(), appID: appID).body)["source"] as? String == source)
    }

    @Test(
        arguments: [
            (0, "1970-01-01T00:00:00Z"),
            (1_763_716_800, "2025-11-21T09:20:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_700_000_000, "2023-11-14T22:13:20Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            // Outside RFC 3339's four-digit years: clamped, never a trap.
            (253_402_300_800, "9999-12-31T23:59:59Z"),
            (Int.max, "9999-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
            (-62_135_596_801, "0001-01-01T00:00:00Z"),
            (Int.min, "0001-01-01T00:00:00Z"),
        ] as [(Int, String)])
    func theVersionIsAnRFC3339UTCTime(version: Int, time: String) throws {
        #expect(CloudEvent.time(version: version) == time)
        let object = try Self.object(CloudEvent(event: Self.event(version: version), appID: "ws").body)
        #expect(object["time"] as? String == time)
    }

    @Test func anItemWithoutAnIDHasNoSubjectAndAnEmptyItemStaysJSON() throws {
        let object = try Self.object(CloudEvent(event: Self.event(itemID: "", item: ""), appID: "ws").body)
        #expect(object["subject"] == nil)
        #expect((object["data"] as? [String: Any])?["item"] is NSNull)
    }

    static func object(_ body: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }
}
