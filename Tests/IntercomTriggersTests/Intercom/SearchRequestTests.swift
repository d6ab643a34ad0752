import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct SearchRequestTests {
    @Test func serialisesTheExactBody() throws {
        let request = SearchRequest(
            query: .and([
                .filter("updated_at", .greaterThan, 1_700_000_000),
                .or([.filter("role", .equals, "user"), .filter("role", .equals, "lead")]),
            ]),
            sort: .ascending("updated_at"), perPage: 150, startingAfter: "WzE3+/=")
        try request.validate()
        #expect(
            request.json
                == #"{"query":{"operator":"AND","value":[{"field":"updated_at","operator":">","value":1700000000},"#
                + #"{"operator":"OR","value":[{"field":"role","operator":"=","value":"user"},"#
                + #"{"field":"role","operator":"=","value":"lead"}]}]},"#
                + #""pagination":{"per_page":150,"starting_after":"WzE3+/="},"#
                + #""sort":{"field":"updated_at","order":"ascending"}}"#)
        // And it is JSON Foundation agrees with.
        #expect(try JSONSerialization.jsonObject(with: request.body) is [String: Any])
    }

    @Test func omitsAbsentCursorAndSort() {
        let request = SearchRequest(query: .filter("email", .contains, "a\"b\\c\n"), perPage: 5)
        #expect(
            request.json
                == #"{"query":{"field":"email","operator":"~","value":"a\"b\\c\n"},"pagination":{"per_page":5}}"#)
    }

    @Test(arguments: SearchOperator.allCases)
    func everyOperatorIsSpelledAsIntercomDoes(_ op: SearchOperator) {
        let value: SearchValue = op == .in || op == .notIn ? ["a", 1, true, nil] : "x"
        let json = SearchQuery.filter("f", op, value).json
        #expect(json.contains(#""operator":"\#(op.rawValue)""#))
        #expect((try? SearchQuery.filter("f", op, value).validate()) != nil)
    }

    /// Written byte by byte, every string and number comes back as it went in.
    @Test(arguments: [
        ("plain", "jane@example.com"), ("quote and backslash", "a\"b\\c"),
        ("controls", "t\tn\nr\r\u{08}\u{0C}\u{01}\u{1F}"),
        ("non-ASCII", "Zoë 🚀 日本"), ("empty", ""),
    ])
    func stringsRoundTrip(_ name: String, _ text: String) throws {
        let body = SearchRequest(query: .filter(text, .equals, .string(text)), startingAfter: text).body
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "\(name)")
        let query = try #require(object["query"] as? [String: Any])
        #expect(query["field"] as? String == text, "\(name)")
        #expect(query["value"] as? String == text, "\(name)")
        #expect((object["pagination"] as? [String: Any])?["starting_after"] as? String == text, "\(name)")
    }

    @Test(arguments: [0, 7, -7, 1_700_000_000, Int.max, Int.min])
    func integersAreWrittenInFull(_ value: Int) {
        #expect(
            SearchQuery.filter("n", .equals, .integer(value)).json == #"{"field":"n","operator":"=","value":"#
                + "\(value)}")
    }

    @Test func arrayValuesSerialise() {
        #expect(
            SearchQuery.filter("id", .in, ["a", 1, false, nil]).json
                == #"{"field":"id","operator":"IN","value":["a",1,false,null]}"#)
    }

    static let filter = SearchQuery.filter("role", .equals, "user")

    @Test(arguments: [
        ("AND of 15", SearchQuery.and(Array(repeating: filter, count: 15)), true),
        ("AND of 16", SearchQuery.and(Array(repeating: filter, count: 16)), false),
        ("two levels", SearchQuery.and([.or([filter, filter]), filter]), true),
        ("three levels", SearchQuery.and([.or([.and([filter])])]), false),
        ("empty group", SearchQuery.or([]), false),
        ("IN without array", SearchQuery.filter("id", .in, "a"), false),
        ("= with array", SearchQuery.filter("id", .equals, ["a"]), false),
        ("empty field", SearchQuery.filter("", .equals, "a"), false),
    ])
    func validatesWhatIntercomRejects(_ name: String, _ query: SearchQuery, _ valid: Bool) {
        let result = Result { () throws(IntercomError) in try query.validate() }
        #expect(((try? result.get()) != nil) == valid, "\(name)")
        if !valid, case .failure(let error) = result {
            guard case .invalidRequest = error else {
                Issue.record("expected invalidRequest, got \(error)")
                return
            }
        }
    }

    @Test(arguments: [0, 1, 150, 151])
    func perPageMustBeAtMost150(_ perPage: Int) {
        let request = SearchRequest(query: Self.filter, perPage: perPage)
        #expect(((try? request.validate()) != nil) == (1...150).contains(perPage))
    }
}
