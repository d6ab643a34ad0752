import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct EventEnvelopeTests {
    static let oddItem = #"{ "type" : "contact",  "z":1,"id":"c1",\#t"a":[ 1 ,2 ], "name":"Zo\u00eb \"Q\"" }"#

    func event(id: String = "evt_1", topic: String = "contact.lead.created", item: String = oddItem) -> StoredEvent {
        StoredEvent(
            seq: 7, id: id, topic: topic, itemID: "c1", version: 100, detectedAt: 1_763_716_800, item: Data(item.utf8))
    }

    @Test func bodyIsIntercomsEnvelopeWithTheItemSplicedInVerbatim() {
        let envelope = EventEnvelope(event: event(), appID: "ws_9", deliveryAttempts: 1, firstSentAt: 1_763_716_805)
        let expected =
            #"{"type":"notification_event","id":"evt_1","topic":"contact.lead.created","app_id":"ws_9","#
            + #""created_at":1763716800,"data":{"type":"notification_event_data","item":"# + Self.oddItem
            + #"},"delivery_attempts":1,"first_sent_at":1763716805,"self":null,"links":{}}"#
        #expect(String(decoding: envelope.body, as: UTF8.self) == expected)
        #expect(envelope.body.last != 0x0A)
    }

    @Test func bodyParsesAsJSON() throws {
        let body = EventEnvelope(event: event(), appID: "ws_9", deliveryAttempts: 3, firstSentAt: 5).body
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["type"] as? String == "notification_event")
        #expect(object["created_at"] as? Int == 1_763_716_800)
        #expect(object["delivery_attempts"] as? Int == 3)
        #expect(object["first_sent_at"] as? Int == 5)
        #expect(object["self"] is NSNull)
        let item = try #require((object["data"] as? [String: Any])?["item"] as? [String: Any])
        #expect(item["name"] as? String == "Zoë \"Q\"")
    }

    /// (attempts so far, first sent at) → (delivery_attempts, first_sent_at) of an attempt at 2 000.
    @Test(
        arguments: [
            (0, nil, 1, 2_000),
            (2, 1_500, 3, 1_500),
        ] as [(Int, Int?, Int, Int)])
    func attemptsAndFirstSentAtComeFromTheEntry(attempts: Int, sentAt: Int?, expectedAttempts: Int, expectedFirst: Int)
    {
        let entry = OutboxEntry(
            destination: "d", event: .sample, attempts: attempts, nextAttemptAt: 0, firstSentAt: sentAt)
        let envelope = EventEnvelope(entry: entry, appID: "ws", attemptAt: 2_000)
        #expect(envelope.deliveryAttempts == expectedAttempts)
        #expect(envelope.firstSentAt == expectedFirst)
        #expect(envelope.event == entry.event)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("a\"b", #""a\"b""#),
        ("a\\b", #""a\\b""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{08}\u{0C}", #""\b\f""#),
        ("\u{00}\u{01}\u{1F}", #""\u0000\u0001\u001f""#),
        ("é☃😀/\u{7F}\u{2028}", "\"é☃😀/\u{7F}\u{2028}\""),
    ])
    func stringsAreEscaped(raw: String, escaped: String) throws {
        let body = EventEnvelope(event: event(id: raw, topic: raw), appID: raw, deliveryAttempts: 1, firstSentAt: 1)
            .body
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains(#""id":"# + escaped + #","topic":"# + escaped + #","app_id":"# + escaped + ","))
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["id"] as? String == raw)
        #expect(object["app_id"] as? String == raw)
    }
}

extension StoredEvent {
    /// A small event for tests that do not look at its contents.
    static let sample = StoredEvent(
        seq: 1, id: "evt", topic: "contact.user.created", itemID: "u1", version: 10, detectedAt: 1_000,
        item: Data(#"{"type":"contact","id":"u1"}"#.utf8))
}
