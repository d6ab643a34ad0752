import Foundation
import Testing

@testable import IntercomTriggers

/// The poller reads each search item straight from its bytes; it must read exactly what the typed models
/// (`Contact`, `Conversation`) read, lenient cases included.
@Suite struct ObservationScanningTests {
    static let contacts = [
        #"{"type":"contact","id":"c1","role":"user","created_at":100,"updated_at":200}"#,
        #"{"id":42,"role":"lead","created_at":"100","updated_at":" 200 "}"#,
        #"{"id":"c\u00e9\n2","role":"us\"er","created_at":100.7,"updated_at":2e3}"#,
        #"{"id":"c3","created_at":100,"updated_at":200,"role":null}"#,
        #"{"id":"c4","created_at":100,"updated_at":200,"role":7}"#,
        #"{"id":"c5","created_at":100}"#,
        #"{"id":"c6","created_at":true,"updated_at":200}"#,
        #"{"id":"c7","created_at":1e300,"updated_at":200}"#,
        #"{"id":"c8","created_at":100,"updated_at":200,"id":"c8-last"}"#,
        #"{ "id" : "c9" , "created_at" : -5 , "updated_at" : 9223372036854775807 }"#,
        #"{"id":"c10","created_at":100,"updated_at":99999999999999999999}"#,
        // Members of the same name inside other members are not the item's; an escaped key is its name.
        #"{"custom_attributes":{"id":"nested","created_at":1},"id":"c11","created_at":100,"updated_at":200}"#,
        #"{"id":"c12","tags":[{"role":"lead"}],"created_at":-9.2e18,"updated_at":200,"role":"user","role":"lead"}"#,
    ]

    static let conversations = [
        #"{"type":"conversation","id":"1","created_at":100,"updated_at":200,"source":{"author":{"type":"user"}}}"#,
        #"{"id":7,"created_at":100,"updated_at":200,"source":{"author":{"type":"lead","id":"x"}}}"#,
        #"{"id":"3","created_at":100,"updated_at":200,"source":{"author":"user"}}"#,
        #"{"id":"4","created_at":100,"updated_at":200,"source":[1,2]}"#,
        #"{"id":"5","created_at":100,"updated_at":200}"#,
        #"{"id":"6","created_at":100,"updated_at":200,"source":{"author":{"type":null}}}"#,
        #"{"id":"8","teammates":{"type":"admin"},"source":{"type":"x","author":{"id":"a","type":"bot"}},"created_at":1,"updated_at":2}"#,
    ]

    /// The scanned reading; nil when it skips the item for a missing timestamp (the model then has none).
    static func scanned(_ json: String, _ resource: Resource) throws -> Observation? {
        let scanner = JSONScanner(Data(json.utf8))
        do {
            return try Observation(resource: resource, at: try scanner.validate(), in: scanner)
        } catch let skipped as SkippedItem where skipped.id != nil && skipped.reason.hasSuffix("_at") {
            return nil
        }
    }

    @Test(arguments: contacts)
    func aContactReadsAsTheModelReadsIt(_ json: String) throws {
        let contact = try Contact(raw: Data(json.utf8))
        var expected: Observation?
        if let created = contact.createdAt, let updated = contact.updatedAt {
            expected = Observation(
                resource: .contacts, id: contact.id, createdAt: created, updatedAt: updated, role: contact.role,
                raw: contact.raw)
        }
        #expect(try Self.scanned(json, .contacts) == expected)
    }

    @Test(arguments: conversations)
    func aConversationReadsAsTheModelReadsIt(_ json: String) throws {
        let conversation = try Conversation(raw: Data(json.utf8))
        var expected: Observation?
        if let created = conversation.createdAt, let updated = conversation.updatedAt {
            expected = Observation(
                resource: .conversations, id: conversation.id, createdAt: created, updatedAt: updated,
                authorType: conversation.source?.author?.type, raw: conversation.raw)
        }
        #expect(try Self.scanned(json, .conversations) == expected)
    }

    @Test(arguments: [#"{"created_at":1,"updated_at":2}"#, #"{"id":"","created_at":1,"updated_at":2}"#, "[1]", #""x""#])
    func anItemWithoutAUsableIDFailsAsTheModelDoes(_ json: String) {
        #expect(throws: (any Error).self) { try Contact(raw: Data(json.utf8)) }
        #expect(throws: SkippedItem.self) { try Self.scanned(json, .contacts) }
    }

    @Test func theRawBytesAreTheItemsExactly() throws {
        let body =
            #"{"type":"list","data":[ {"id":"a","created_at":1,"updated_at":2}  ,{"id":"b","created_at":3,"updated_at":4}],"pages":{"next":{"starting_after":"cur"}}}"#
        let list = try ListBody(body: Data(body.utf8), itemsKey: "data")
        let items = try list.items.map { try Observation(resource: .contacts, at: $0, in: list.scanner) }
        #expect(
            items.map { String(decoding: $0.raw, as: UTF8.self) } == [
                #"{"id":"a","created_at":1,"updated_at":2}"#, #"{"id":"b","created_at":3,"updated_at":4}"#,
            ])
        #expect(list.pages?.next?.startingAfter == "cur")
    }
}
