import Foundation
import Testing

@testable import IntercomSimulator

/// Stateless cursors: pages follow `(sort value, id)`, ties broken by id, `next` only while more remain.
@Suite struct SearchPaginationTests {
    static let second = 1_779_990_000

    @Test(arguments: ["ascending", "descending"])
    func fourHundredContactsInOneSecondPageCleanly(order: String) throws {
        let harness = EngineHarness()
        var ids: [String] = []
        for index in 0..<400 {
            ids.append(
                try harness.workspace.createContact(email: "same\(index)@example.com", createdAt: Self.second).id)
        }
        let query = #"{"field":"created_at","operator":"=","value":\#(Self.second)}"#
        var pages: [[String]] = []
        var after: String?
        var pageNumbers: [Int] = []
        repeat {
            let answer = harness.search(
                "contacts", query, sort: #"{"field":"created_at","order":"\#(order)"}"#, perPage: 150, after: after)
            try #require(answer.status == 200)
            #expect(answer.json["total_count"]?.intValue == 400)
            #expect(answer.json["pages"]?["total_pages"]?.intValue == 3)
            #expect(answer.json["pages"]?["per_page"]?.intValue == 150)
            pageNumbers.append(answer.json["pages"]?["page"]?.intValue ?? 0)
            pages.append(EngineHarness.ids(answer.json))
            after = answer.json["pages"]?["next"]?["starting_after"]?.stringValue
            if after != nil {
                #expect(answer.json["pages"]?["next"]?["page"]?.intValue == pages.count + 1)
            }
        } while after != nil && pages.count < 10
        #expect(pages.map(\.count) == [150, 150, 100])
        #expect(pageNumbers == [1, 2, 3])
        let expected = order == "ascending" ? ids.sorted() : ids.sorted().reversed()
        #expect(pages.flatMap { $0 } == expected)
    }

    @Test func lastPageHasNoNextKeyAtAll() throws {
        let harness = EngineHarness()
        for index in 0..<3 { try harness.workspace.createContact(email: "x\(index)@example.com") }
        let answer = harness.search("contacts", #"{"field":"role","operator":"=","value":"user"}"#, perPage: 5)
        let pages = try #require(answer.json["pages"]?.objectValue)
        #expect(pages["next"] == nil)
        #expect(pages["type"]?.stringValue == "pages")
        #expect(answer.json["type"]?.stringValue == "list")
    }

    @Test func emptyResultsHaveZeroPages() {
        let harness = EngineHarness()
        let answer = harness.search("contacts", #"{"field":"role","operator":"=","value":"lead"}"#)
        #expect(answer.json["total_count"]?.intValue == 0)
        #expect(answer.json["pages"]?["total_pages"]?.intValue == 0)
        #expect(answer.json["pages"]?["per_page"]?.intValue == 50)
        #expect(answer.json["data"]?.arrayValue?.isEmpty == true)
    }

    @Test func conversationsPageWithTheirOwnEnvelope() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "talker@example.com", createdAt: Self.second - 10)
        var ids: [String] = []
        for index in 0..<400 {
            ids.append(
                try harness.workspace.createConversation(
                    contactID: contact.id, body: "m\(index)", createdAt: Self.second
                )
                .id)
        }
        let pages = harness.allPages(
            "conversations", #"{"field":"created_at","operator":"=","value":\#(Self.second)}"#,
            sort: #"{"field":"created_at","order":"ascending"}"#, perPage: 150)
        #expect(pages.map(\.count) == [150, 150, 100])
        #expect(pages.flatMap { $0 } == ids.sorted { Int($0)! < Int($1)! })
        let first = harness.search("conversations", #"{"field":"created_at","operator":">","value":0}"#)
        #expect(first.json["type"]?.stringValue == "conversation.list")
        #expect(first.json["conversations"]?.arrayValue?.count == 20)  // the default page size
    }

    @Test func cursorIsBase64OfSortValueIdAndPage() throws {
        let harness = EngineHarness()
        for index in 0..<3 {
            try harness.workspace.createContact(email: "c\(index)@example.com", createdAt: Self.second + index)
        }
        let answer = harness.search(
            "contacts", #"{"field":"role","operator":"=","value":"user"}"#,
            sort: #"{"field":"created_at","order":"ascending"}"#, perPage: 2)
        let cursor = try #require(answer.json["pages"]?["next"]?["starting_after"]?.stringValue)
        let decoded = try #require(Data(base64Encoded: cursor).flatMap { JSONValue.parse($0) }?.arrayValue)
        let secondID = EngineHarness.ids(answer.json)[1]
        #expect(decoded == [.int((Self.second + 1) * 1000), .string(secondID), .int(2)])
    }

    @Test func perPageAbove150IsClamped() throws {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 200, conversations: 0, companies: 0)
        let answer = harness.search("contacts", #"{"field":"created_at","operator":">","value":0}"#, perPage: 500)
        #expect(answer.json["pages"]?["per_page"]?.intValue == 150)
        #expect(answer.json["data"]?.arrayValue?.count == 150)
    }

    @Test func listEndpointsPageByQueryParameters() throws {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 120, conversations: 45, companies: 0)
        var seen: [String] = []
        var after: String?
        repeat {
            var query = ["per_page": "50"]
            if let after { query["starting_after"] = after }
            let answer = harness.call("GET", "/contacts", query: query)
            try #require(answer.status == 200)
            seen += EngineHarness.ids(answer.json)
            after = answer.json["pages"]?["next"]?["starting_after"]?.stringValue
        } while after != nil && seen.count < 1_000
        #expect(seen.count == 120)
        #expect(Set(seen).count == 120)
        let conversations = harness.call("GET", "/conversations", query: ["per_page": "40"])
        #expect(conversations.json["type"]?.stringValue == "conversation.list")
        #expect(conversations.json["total_count"]?.intValue == 45)
        #expect(conversations.json["conversations"]?.arrayValue?.count == 40)
    }

    /// A table of 300 seeded contacts searched with several sorts must list each match exactly once.
    @Test(arguments: [
        #"{"field":"updated_at","order":"ascending"}"#, #"{"field":"updated_at","order":"descending"}"#,
        #"{"field":"email","order":"ascending"}"#, #"{"field":"last_seen_at","order":"descending"}"#,
    ])
    func everySortVisitsEveryMatchOnce(sort: String) {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 300, conversations: 0, companies: 0)
        let pages = harness.allPages(
            "contacts", #"{"field":"role","operator":"=","value":"user"}"#, sort: sort, perPage: 70)
        let all = pages.flatMap { $0 }
        let total = harness.search("contacts", #"{"field":"role","operator":"=","value":"user"}"#).json["total_count"]?
            .intValue
        #expect(all.count == total)
        #expect(Set(all).count == all.count)
    }
}
