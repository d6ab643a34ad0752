import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ItemChangesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var previous: String
        var current: String
        var ignoring: Set<String> = []
        /// The expected `json` rendering.
        var changes: String
    }

    static let cases: [Case] = [
        Case(
            testDescription: "repeated keys: the first of each, on both sides, as JSONDecoder reads them",
            previous: #"{"a":1,"b":5,"a":2}"#, current: #"{"b":6,"a":1,"b":7,"a":3}"#,
            changes: #"{"b":{"previous":5,"current":6}}"#),
        Case(
            testDescription: "an empty key and one with a lone surrogate's escape are attributes too",
            previous: #"{"":1,"\udc00":1}"#, current: #"{"":2,"\udc00":2}"#,
            changes: #"{"":{"previous":1,"current":2},"\#u{FFFD}":{"previous":1,"current":2}}"#),
        Case(
            testDescription: "a top-level attribute", previous: #"{"id":"c1","email":"a@x.io"}"#,
            current: #"{"id":"c1","email":"b@x.io"}"#, changes: #"{"email":{"previous":"a@x.io","current":"b@x.io"}}"#),
        Case(
            testDescription: "a custom attribute, nested",
            previous: #"{"custom_attributes":{"plan":"free","seats":3}}"#,
            current: #"{"custom_attributes":{"plan":"pro","seats":3}}"#,
            changes: #"{"custom_attributes.plan":{"previous":"free","current":"pro"}}"#),
        Case(
            testDescription: "two levels deep", previous: #"{"location":{"city":"Dublin","geo":{"lat":53.3}}}"#,
            current: #"{"location":{"city":"Cork","geo":{"lat":51.9}}}"#,
            changes:
                #"{"location.city":{"previous":"Dublin","current":"Cork"},"location.geo.lat":{"previous":53.3,"current":51.9}}"#
        ),
        Case(
            testDescription: "a list compared whole", previous: #"{"tags":{"data":[{"id":"1"}]}}"#,
            current: #"{"tags":{"data":[{"id":"1"},{"id":"2"}]}}"#,
            changes: #"{"tags.data":{"previous":[{"id":"1"}],"current":[{"id":"1"},{"id":"2"}]}}"#),
        Case(
            testDescription: "an attribute added", previous: #"{"id":"c1"}"#, current: #"{"id":"c1","phone":"+353"}"#,
            changes: #"{"phone":{"current":"+353"}}"#),
        Case(
            testDescription: "an attribute removed", previous: #"{"id":"c1","phone":"+353"}"#, current: #"{"id":"c1"}"#,
            changes: #"{"phone":{"previous":"+353"}}"#),
        Case(
            testDescription: "null to a value and an object to null", previous: #"{"name":null,"avatar":{"url":"u"}}"#,
            current: #"{"name":"Ada","avatar":null}"#,
            changes: #"{"name":{"previous":null,"current":"Ada"},"avatar":{"previous":{"url":"u"},"current":null}}"#),
        Case(
            testDescription: "whitespace is no change", previous: #"{"tags": [ "a" , "b" ], "n": "x y"}"#,
            current: #"{"tags":["a","b"],"n":"x y"}"#, changes: "{}"),
        Case(
            testDescription: "a space inside a string is", previous: #"{"n":"x y"}"#, current: #"{"n":"xy"}"#,
            changes: #"{"n":{"previous":"x y","current":"xy"}}"#),
        Case(
            testDescription: "ignored attributes only", previous: #"{"last_seen_at":1,"updated_at":1,"email":"a"}"#,
            current: #"{"last_seen_at":2,"updated_at":2,"email":"a"}"#, ignoring: ["last_seen_at", "updated_at"],
            changes: "{}"),
        Case(
            testDescription: "an ignored path under an object", previous: #"{"location":{"city":"A","ip":"1"}}"#,
            current: #"{"location":{"city":"B","ip":"2"}}"#, ignoring: ["location.ip"],
            changes: #"{"location.city":{"previous":"A","current":"B"}}"#),
        Case(
            testDescription: "a lead converted to a user", previous: #"{"role":"lead","external_id":null}"#,
            current: #"{"role":"user","external_id":"u-7"}"#,
            changes: #"{"role":{"previous":"lead","current":"user"},"external_id":{"previous":null,"current":"u-7"}}"#),
    ]

    @Test(arguments: cases)
    func findsWhatChanged(_ testCase: Case) throws {
        let changes = try ItemChanges(
            previous: Data(testCase.previous.utf8), current: Data(testCase.current.utf8), ignoring: testCase.ignoring)
        #expect(String(decoding: changes.json, as: UTF8.self) == testCase.changes)
        #expect(changes.isEmpty == (testCase.changes == "{}"))
        // The rendering is JSON a receiver can parse.
        #expect((try JSONSerialization.jsonObject(with: changes.json)) is [String: Any])
    }

    @Test func anItemThatIsNoObjectIsRefused() {
        #expect(throws: JSONScanner.SyntaxError.self) {
            try ItemChanges(previous: Data("[1]".utf8), current: Data("{}".utf8))
        }
        #expect(throws: JSONScanner.SyntaxError.self) {
            try ItemChanges(previous: Data("{}".utf8), current: Data("{\"a\":".utf8))
        }
    }

    /// Members are looked up by key, not searched for: wide items cost what they hold (50,000 members took 5 s before).
    @Test func everyMemberOfAWideItemIsCompared() throws {
        func item(_ value: Int) -> Data {
            Data(
                ("{" + (0..<20_000).map { #""k\#($0)":\#($0 == 12_345 ? value : 0)"# }.joined(separator: ",") + "}")
                    .utf8)
        }
        let changes = try ItemChanges(previous: item(1), current: item(2))
        #expect(changes.changes.map(\.path) == ["k12345"])
    }

    @Test func aPathWithAQuoteIsEscapedInTheRendering() throws {
        let changes = try ItemChanges(previous: Data(#"{"a\"b":1}"#.utf8), current: Data(#"{"a\"b":2}"#.utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: changes.json) as? [String: Any])
        #expect(object.keys.first == "a\"b")
    }
}
