import Foundation
import Testing

@testable import IntercomSimulator

/// The simulator's JSON reader gives the values `JSONDecoder` gave (numbers, escapes, duplicate keys) and refuses
/// what is not JSON, without a thrown error on the way.
@Suite struct JSONValueParserTests {
    static let accepted: [(String, JSONValue)] = [
        ("null", .null), ("true", .bool(true)), (" false\n", .bool(false)),
        ("0", .int(0)), ("-0", .int(0)), ("42", .int(42)), ("-9223372036854775808", .int(.min)),
        ("5.0", .int(5)), ("1e2", .int(100)), ("1E+2", .int(100)), ("1.5", .double(1.5)), ("-2.5e-1", .double(-0.25)),
        ("12345678901234567890", .double(1.2345678901234567e19)),
        (#""plain""#, .string("plain")), (#""""#, .string("")),
        (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{08}\u{0C}\n\r\t")),
        (#""\u00e9 é \ud83d\ude00 😀""#, .string("é é 😀 😀")),
        ("[]", .array([])), ("[1, [true], {}]", .array([.int(1), .array([.bool(true)]), .object(JSONObject())])),
    ]

    @Test(arguments: accepted)
    func reads(_ text: String, _ expected: JSONValue) {
        #expect(JSONValue.parse(Data(text.utf8)) == expected)
    }

    static let refused = [
        "", " ", "nul", "tru", "01", "-", "1.", ".5", "1e", "+1", "1e999", #""open"#, "\"tab\there\"",
        #""\x""#, #""\u12""#, #""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, "[1,]", "[1 2]", "{\"a\"}",
        "{\"a\":1,}", "{a:1}", "[1] 2", "\u{FEFF}1",
    ]

    @Test(arguments: refused)
    func refuses(_ text: String) {
        #expect(JSONValue.parse(Data(text.utf8)) == nil, "\(text)")
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        #expect(JSONValue.parse(Data([0x22, 0xFF, 0x22])) == nil)
    }

    @Test func objectsSortTheirKeysAndTheFirstOfADuplicateWins() throws {
        let value = try #require(JSONValue.parse(Data(#"{"b": 1, "a": {"y": null, "x": "s"}, "b": 2}"#.utf8)))
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object.keys == ["a", "b"])
        #expect(value["b"] == .int(1))
        #expect(value["a"]?["x"] == .string("s"))
        #expect(value["a"]?["y"] == .null)
    }

    @Test func nestingStopsAtTheLimit() {
        let limit = JSONValueParser.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(JSONValue.parse(Data(deepest.utf8)) != nil)
        let deeper = "[" + deepest + "]"
        #expect(JSONValue.parse(Data(deeper.utf8)) == nil)
    }

    /// What the simulator renders reads back as the same value (a whole page of seeded contacts).
    @Test func aRenderedPageReadsBackTheSame() {
        let harness = EngineHarness()
        harness.workspace.seed(contacts: 30, conversations: 10, companies: 3, randomSeed: 9)
        let (status, value) = harness.call("GET", "/contacts", query: ["per_page": "30"])
        #expect(status == 200)
        #expect(value["data"]?.arrayValue?.count == 30)
        #expect(JSONValue.parse(value.serialized()) == value)
    }
}
