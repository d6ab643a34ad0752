import Crypto
import Foundation
import Testing

@testable import IntercomTriggers

@Suite("Snapshot codec: contacts stored deflated with a preset dictionary")
struct SnapshotCodecTests {
    /// A contact the way the simulator (and Intercom 2.16) writes one.
    static func contact(_ index: Int, plan: String = "Starter") -> Data {
        let id = String(format: "6b0d9ae61bb69f9f%08x", index)
        return Data(
            """
            {"type":"contact","id":"\(id)","workspace_id":"ecahpwf5","external_id":"usr_\(index)","role":"user",\
            "email":"person.\(index)@example.com","email_domain":"example.com","phone":null,"formatted_phone":null,\
            "name":"Person \(index)","owner_id":null,"has_hard_bounced":false,"marked_email_as_spam":false,\
            "unsubscribed_from_emails":false,"created_at":\(1_796_053_734 + index),"updated_at":1796486688,\
            "signed_up_at":1796053734,"last_seen_at":1796486688,"last_replied_at":null,"last_contacted_at":null,\
            "last_email_opened_at":null,"last_email_clicked_at":null,"language_override":null,"browser":"firefox",\
            "browser_version":"130.0","browser_language":"en","os":"Linux","android_app_name":null,\
            "android_app_version":null,"android_device":null,"android_os_version":null,"android_sdk_version":null,\
            "android_last_seen_at":null,"ios_app_name":null,"ios_app_version":null,"ios_device":null,\
            "ios_os_version":null,"ios_sdk_version":null,"ios_last_seen_at":null,\
            "custom_attributes":{"plan":"\(plan)","seats":\(index % 300)},"avatar":null,\
            "tags":{"type":"list","data":[],"url":"/contacts/\(id)/tags","total_count":0,"has_more":false},\
            "notes":{"type":"list","data":[],"url":"/contacts/\(id)/notes","total_count":0,"has_more":false},\
            "companies":{"type":"list","data":[],"url":"/contacts/\(id)/companies","total_count":0,"has_more":false},\
            "location":{"type":"location","country":"Germany","region":"Berlin","city":"Berlin",\
            "country_code":"DEU","continent_code":"EU"},"social_profiles":{"type":"list","data":[]},\
            "opted_out_subscription_types":{"type":"list","data":[],"url":"/contacts/\(id)/subscriptions",\
            "total_count":0,"has_more":false},"opted_in_subscription_types":{"type":"list","data":[],\
            "url":"/contacts/\(id)/subscriptions","total_count":0,"has_more":false},"utm_campaign":null,\
            "utm_content":null,"utm_medium":null,"utm_source":null,"utm_term":null,"referrer":null,\
            "enabled_push_messaging":null}
            """.utf8)
    }

    @Test("a contact round-trips byte for byte and takes a fraction of its JSON")
    func roundTrip() throws {
        let codec = SnapshotCodec()
        var stored = 0
        var plain = 0
        for index in 0..<50 {
            let item = Self.contact(index)
            let encoded = codec.encode(item)
            #expect(encoded.first == SnapshotCodec.deflatedV1)
            #expect(codec.decode(encoded) == item)
            stored += encoded.count
            plain += item.count
        }
        // ~2 KB of JSON each; the issue's budget is 1 KB per contact, the codec keeps well under it.
        #expect(plain / 50 > 1900)
        #expect(stored / 50 < 400, "\(stored / 50) bytes per contact")
    }

    @Test("items unlike a contact, empty, binary-looking or large, round-trip too")
    func arbitraryItems() {
        let codec = SnapshotCodec()
        var random = SystemRandomNumberGenerator()
        let large = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) })
        for item in [Data(), Data("{}".utf8), Data(#"{"type":"conversation","id":"1"}"#.utf8), large] {
            #expect(codec.decode(codec.encode(item)) == item)
        }
    }

    @Test("a snapshot written by another zlib (Python's, level 9, 32 KB window) reads back")
    func independentEncoder() throws {
        let stored = try #require(
            Data(
                base64Encoded:
                    "AavGUcmZmSYaImqxnNTEFKRaLDEl0SG1Auj6nFQ9YMpVwp6hlQqA5SRQNTDRKNWiVxyWZiYWZmYWFrUA"))
        let expected =
            #"{"type":"contact","id":"65a1","role":"lead","email":"ada@example.com","custom_attributes":{"plan":"pro"},"#
            + #""updated_at":1796486688}"#
        #expect(SnapshotCodec().decode(stored) == Data(expected.utf8))
    }

    @Test("the v1 dictionary is frozen: stored snapshots depend on its exact bytes")
    func dictionaryIsFrozen() {
        let digest = SHA256.hash(data: SnapshotDictionary.contactV1).map { String(format: "%02x", $0) }.joined()
        #expect(digest == "07ea136762e4303afac13b8d0dc8bba5674ff1fecc78bafe55d88cb342cf3d72")
    }

    @Test("plain JSON snapshots from before compaction read as they are")
    func plainRows() {
        let item = Self.contact(7)
        #expect(SnapshotCodec().decode(item) == item)
    }

    @Test(
        "unreadable snapshots give nil, never a crash",
        arguments: [
            Data(), Data([0x02, 0x00, 0x01]), Data([0x01]), Data([0x01, 0xff, 0xff, 0xff, 0xff]),
            Data("not json".utf8),
        ])
    func unreadable(stored: Data) {
        #expect(SnapshotCodec().decode(stored) == nil)
    }

    @Test("a truncated snapshot gives nil; the codec still reads the next one")
    func truncated() {
        let codec = SnapshotCodec()
        let encoded = codec.encode(Self.contact(3))
        #expect(codec.decode(encoded.prefix(encoded.count / 2)) == nil)
        #expect(codec.decode(encoded) == Self.contact(3))
    }
}
