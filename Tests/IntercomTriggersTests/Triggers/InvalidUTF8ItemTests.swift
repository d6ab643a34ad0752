import Foundation
import IntercomTriggersTesting
import Logging
import Testing

@testable import IntercomTriggers

/// An item whose strings hold bytes that are not UTF-8 still fires: its event carries U+FFFD in their place, so the
/// event is JSON every receiver can parse, and the rest of the item, and every other item, stays byte for byte.
@Suite struct InvalidUTF8ItemTests {
    /// `c1`'s name: a byte that never starts UTF-8 (0xFF), a sequence cut short before the closing quote (0xC3), an
    /// overlong encoding (0xC0 0x80) and an encoded surrogate (0xED 0xA0 0x80).
    static let badName: [UInt8] = [0xFF] + Array("x".utf8) + [0xC0, 0x80, 0xED, 0xA0, 0x80, 0xC3]
    static let c1Prefix = #"{"type":"contact","id":"c1","role":"lead","created_at":1000,"updated_at":1000,"name":""#
    static let c2 = #"{"type":"contact","id":"c2","role":"user","created_at":1100,"updated_at":1100,"name":"Zoë"}"#

    static var page: Data {
        let c1 = Array(c1Prefix.utf8) + badName + Array(#""}"#.utf8)
        let body =
            Array(#"{"type":"list","data":["#.utf8) + Array(c2.utf8) + Array(",".utf8) + c1
            + Array(#"],"total_count":2,"pages":{"type":"pages","page":1,"per_page":150,"total_pages":1}}"#.utf8)
        return Data(body)
    }

    @Test func theItemFiresWithReplacementCharactersAndIsLoggedOnce() async throws {
        let (logger, lines) = CapturingLogHandler.logger()
        let transport = FakeTransport([.ok(bytes: Self.page), .ok(bytes: Self.page)])
        try await PagePoller.with(transport, logger: logger) { p in
            let report = try #require(try await p.poller.cycle(workspaceID: "ws").first)
            #expect(report.replacedInvalidUTF8 == ["c1"])
            #expect(report.skipped.isEmpty)

            let events = try await p.store.events(afterSeq: 0, topic: nil, since: nil, limit: 10)
            #expect(Set(events.map(\.itemID)) == ["c1", "c2"])
            let c1 = try #require(events.first { $0.itemID == "c1" })
            let item = try #require(try JSONSerialization.jsonObject(with: c1.item) as? [String: Any])
            // Each bad sequence is one U+FFFD (the overlong and the surrogate's bytes one each, as Swift decodes).
            #expect(item["name"] as? String == String(decoding: Self.badName, as: UTF8.self))
            #expect((item["name"] as? String)?.hasPrefix("\u{FFFD}x\u{FFFD}") == true)
            #expect(c1.item.starts(with: Data(Self.c1Prefix.utf8)))
            // A well-formed item is left as Intercom sent it.
            #expect(events.first { $0.itemID == "c2" }?.item == Data(Self.c2.utf8))
            // What a receiver gets parses as JSON.
            for event in events {
                let body = EventEnvelope(event: event, appID: "ws", deliveryAttempts: 1, firstSentAt: 5).body
                #expect((try? JSONSerialization.jsonObject(with: body)) != nil)
            }

            // A re-read of the same version fires nothing and is not logged again.
            let again = try #require(try await p.poller.cycle(workspaceID: "ws").first)
            #expect(again.events == 0)
            #expect(again.replacedInvalidUTF8.isEmpty)
            let logged = lines.all.filter { $0.contains("not UTF-8") }
            #expect(logged.count == 1)
            #expect(logged.first?.contains("c1") == true)
        }
    }

    /// The replacement against Swift's own decoding, over sequences valid and not; valid ones are left alone.
    @Test(
        arguments: [
            ([0x41, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80], false),  // A é 😀
            ([0xFF], true), ([0xC3], true), ([0xC0, 0x80], true), ([0xED, 0xA0, 0x80], true),
            ([0xF4, 0x90, 0x80, 0x80], true), ([0xE2, 0x82], true), ([0x80, 0x41], true),
        ] as [([UInt8], Bool)])
    func aSliceIsMadeWellFormed(bytes: [UInt8], replaced: Bool) throws {
        let document = Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)
        let scanner = JSONScanner(bytes: document)
        let root = try scanner.validate()
        let (data, didReplace) = scanner.wellFormedSlice(root)
        #expect(didReplace == replaced)
        #expect(data == Data(String(decoding: document, as: UTF8.self).utf8))
        #expect(replaced || data == Data(document))
        #expect((try? JSONSerialization.jsonObject(with: data)) != nil)
    }
}
