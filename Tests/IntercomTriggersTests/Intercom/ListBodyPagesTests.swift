import Foundation
import Testing

@testable import IntercomTriggers

/// A list's `pages` is read from the scanned bytes exactly as `PageInfo`'s `Decodable` reads it, hostile shapes
/// included; a body that is not an object, or not JSON, is refused as before.
@Suite struct ListBodyPagesTests {
    @Test(arguments: [
        #"{"type":"pages","next":{"page":2,"starting_after":"WzE3MDAwMDAwMDAsIjEyMyJd"},"page":1,"per_page":50,"total_pages":4}"#,
        #"{"page":1,"per_page":"150","total_pages":" 7 ","next":null}"#,
        #"{"page":2.0,"per_page":2.5,"total_pages":1e30,"next":{"page":"3","starting_after":12345}}"#,
        #"{"page":true,"per_page":[1],"total_pages":{"a":1},"next":"later"}"#,
        #"{"next":{"starting_after":"a\"b\\u00e9"},"page":-3}"#,
        #"{"next":{},"page":9223372036854775807,"total_pages":-9.2e18}"#,
        #"{"page":1,"page":2,"next":{"page":1,"page":2}}"#,
        #"{}"#, #"null"#, #"[]"#, #""pages""#, #"3"#,
    ])
    func pagesReadAsTheirDecodableReadsThem(pages: String) throws {
        let body = try ListBody(body: Data(#"{"type":"list","data":[],"pages":\#(pages)}"#.utf8), itemsKey: "data")
        let decoded = try? JSONDecoder().decode(PageInfo.self, from: Data(pages.utf8))
        #expect(body.pages == decoded)
    }

    @Test func aListWithoutPagesHasNone() throws {
        #expect(try ListBody(body: Data(#"{"data":[{"id":"1"}]}"#.utf8), itemsKey: "data").pages == nil)
    }

    @Test(arguments: [
        (#"[1,2]"#, "a list body must be an object"), (#"  "data""#, "a list body must be an object"),
        (#"{"data":[1,]}"#, "invalid JSON"), (#"[1,"#, "invalid JSON"), (#"{"data":[]} x"#, "invalid JSON"),
        (#"{"other":[]}"#, "no 'data' array"),
    ])
    func badBodiesAreRefusedWithTheReason(body: String, reason: String) {
        do {
            _ = try ListBody(body: Data(body.utf8), itemsKey: "data")
            Issue.record("accepted \(body)")
        } catch {
            #expect(String(describing: error).contains(reason), "\(error)")
        }
    }
}
