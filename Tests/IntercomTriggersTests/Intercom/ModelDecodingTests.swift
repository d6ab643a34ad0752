import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ModelDecodingTests {
    struct PagesCase: Sendable, CustomStringConvertible {
        var description: String
        var pages: String
        var perPage: Int?
        var next: String?
    }

    @Test(arguments: [
        PagesCase(
            description: "per_page number, next object",
            pages: #"{"type":"pages","next":{"page":2,"starting_after":"WzE3"},"page":1,"per_page":5,"total_pages":4}"#,
            perPage: 5, next: "WzE3"),
        PagesCase(
            description: "per_page string", pages: #"{"type":"pages","page":1,"per_page":"5","total_pages":1}"#,
            perPage: 5, next: nil),
        PagesCase(
            description: "next null", pages: #"{"type":"pages","next":null,"page":1,"per_page":15,"total_pages":1}"#,
            perPage: 15, next: nil),
        PagesCase(
            description: "unknown fields, next without cursor",
            pages: #"{"type":"pages","next":{"page":2},"per_page":50,"extra":{"a":[1]}}"#, perPage: 50, next: nil),
        PagesCase(description: "pages null", pages: "null", perPage: nil, next: nil),
    ])
    func pageEnvelopeIsTolerant(_ testCase: PagesCase) throws {
        let body = #"{"type":"list","data":[],"total_count":0,"pages":\#(testCase.pages)}"#
        let page = try Page<Contact>(body: Data(body.utf8), itemsKey: "data")
        #expect(page.pages?.perPage == testCase.perPage)
        #expect(page.nextCursor == testCase.next)
        #expect(page.items.isEmpty)
        #expect(page.totalCount == 0)
    }

    @Test func totalCountMayBeAbsent() throws {
        let page = try Page<Contact>(body: Data(#"{"type":"list","data":[]}"#.utf8), itemsKey: "data")
        #expect(page.totalCount == nil)
        #expect(page.pages == nil)
    }

    @Test func contactKeepsRawBytesAndTypedFields() throws {
        let contact =
            #"{"type":"contact","id":"6762f0d01bb69f9f2193bb7d","external_id":70,"role":"user","#
            + #""email":"joe@bloggs.com","name":"Jo \"JB\" Bloggs","owner_id":12,"created_at":1734537424,"#
            + #""updated_at":1734537500,"signed_up_at":null,"custom_attributes":{"x":[1,{"y":"]"}]},"new_field":1.0}"#
        let body = #"{"type":"list","data":[\#(contact)],"total_count":1,"pages":{"type":"pages","page":1}}"#
        let page = try Page<Contact>(body: Data(body.utf8), itemsKey: "data")
        let item = try #require(page.items.first)
        #expect(String(decoding: item.raw, as: UTF8.self) == contact)
        #expect(item.id == "6762f0d01bb69f9f2193bb7d")
        #expect(item.role == "user")
        #expect(item.externalID == "70")
        #expect(item.ownerID == "12")
        #expect(item.name == #"Jo "JB" Bloggs"#)
        #expect(item.createdAt == 1_734_537_424)
        #expect(item.updatedAt == 1_734_537_500)
        #expect(item.signedUpAt == nil)
    }

    /// A contact whose name holds a byte that is not UTF-8 decodes with U+FFFD in its place (JSONDecoder refuses
    /// such bytes: one contact would fail a whole `contacts list`).
    @Test func aContactWithBytesThatAreNotUTF8Decodes() throws {
        let body =
            Array(#"{"type":"list","data":[{"type":"contact","id":"c1","role":"user","name":"Jo"#.utf8) + [0xFF]
            + Array(#"","created_at":1,"updated_at":2}],"total_count":1}"#.utf8)
        let page = try Page<Contact>(body: Data(body), itemsKey: "data")
        let item = try #require(page.items.first)
        #expect(item.name == "Jo\u{FFFD}")
        #expect(String(validating: item.raw, as: UTF8.self) != nil)
    }

    @Test func conversationsUseTheirOwnKey() throws {
        let conversation =
            #"{"type":"conversation","id":"471","created_at":1734537460,"updated_at":"1734537461","#
            + #""source":{"type":"conversation","delivered_as":"customer_initiated","#
            + #""author":{"type":"user","id":"6762f0f3","name":null}},"state":"open","open":true,"#
            + #""contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"c1"},{"type":"contact","id":"c2"}]}}"#
        let body =
            #"{"type":"conversation.list","pages":{"type":"pages","per_page":"20"},"#
            + #""total_count":1,"conversations":[\#(conversation)]}"#
        let page = try Page<Conversation>(body: Data(body.utf8), itemsKey: "conversations")
        let item = try #require(page.items.first)
        #expect(String(decoding: item.raw, as: UTF8.self) == conversation)
        #expect(item.updatedAt == 1_734_537_461)
        #expect(item.source?.author == .init(type: "user", id: "6762f0f3"))
        #expect(item.source?.deliveredAs == "customer_initiated")
        #expect(item.contactIDs == ["c1", "c2"])
        #expect(item.state == "open")
        #expect(throws: DecodingError.self) {
            try Page<Conversation>(body: Data(body.utf8), itemsKey: "data")
        }
    }

    @Test func itemWithoutIDIsADecodingError() {
        let body = #"{"type":"list","data":[{"type":"contact","role":"lead"}]}"#
        #expect(throws: DecodingError.self) { try Page<Contact>(body: Data(body.utf8), itemsKey: "data") }
    }

    @Test func truncatedPageIsASyntaxError() {
        let body = #"{"type":"list","data":[{"type":"contact","id":"a"},{"type":"contact","id":"#
        #expect(throws: JSONScanner.SyntaxError.self) { try Page<Contact>(body: Data(body.utf8), itemsKey: "data") }
    }

    @Test func meCarriesTheWorkspace() throws {
        let body =
            #"{"type":"admin","id":991267459,"email":"a@b.c","name":"Ann","app":{"type":"app","#
            + #""id_code":"ecahpwf5","name":"W","created_at":1,"timezone":"America/Los_Angeles","region":"US"}}"#
        let admin = try Admin(raw: Data(body.utf8))
        #expect(admin.id == "991267459")
        #expect(admin.app?.idCode == "ecahpwf5")
        #expect(admin.app?.timezone == "America/Los_Angeles")
        #expect(admin.app?.region == "US")
    }

    @Test func otherModelsDecode() throws {
        let company = try Company(
            raw: Data(
                #"{"type":"company","id":"c1","company_id":"acme","plan":{"type":"plan","name":"pro"},"user_count":3}"#
                    .utf8))
        #expect(company.companyID == "acme")
        #expect(company.plan == "pro")
        #expect(company.userCount == 3)
        let ticket = try Ticket(
            raw: Data(#"{"type":"ticket","id":"626","ticket_id":"33","ticket_state":{"category":"submitted"}}"#.utf8))
        #expect(ticket.ticketID == "33")
        #expect(ticket.stateCategory == "submitted")
        let message = try UserMessage(
            raw: Data(#"{"type":"user_message","id":"403918330","conversation_id":"499","created_at":1}"#.utf8))
        #expect(message.conversationID == "499")
        let adminMessage = try AdminMessage(
            raw: Data(#"{"type":"admin_message","id":"19","message_type":"inapp","body":"hi"}"#.utf8))
        #expect(adminMessage.messageType == "inapp")
        let error = try JSONDecoder().decode(
            IntercomErrorBody.self,
            from: Data(#"{"type":"error.list","request_id":null,"errors":[{"code":"not_found"}]}"#.utf8))
        #expect(error.errors == [.init(code: "not_found", message: nil)])
        #expect(error.requestID == nil)
    }
}
