import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct JSONScannerTests {
    @Test(arguments: [
        #"{}"#, #"[]"#, #"  {"a" : [ 1 , -2.5e+3, 0, true, false, null ] }  "#, #""x\"y\\z\/\u00e9\n""#,
        #"{"nested":[[[{"a":[]}]]],"s":"]}{["}"#, "{\"emoji\":\"😀\",\"ü\":\"é\"}", "0", "-0.0E-0",
    ])
    func acceptsValidJSON(_ text: String) throws {
        let scanner = JSONScanner(Data(text.utf8))
        let range = try scanner.validate()
        // Foundation agrees the validated value is JSON.
        let sliced = scanner.slice(range)
        #expect((try? JSONSerialization.jsonObject(with: sliced, options: .fragmentsAllowed)) != nil)
    }

    @Test(arguments: [
        "", "{", #"{"a":1"#, #"{"a":1,}"#, #"[1,]"#, #"{"a" 1}"#, #"{a:1}"#, #""unterminated"#, #""bad \q escape""#,
        #""\u12G4""#, "01", "1.", "-", "1e", "tru", "nul", "[1] [2]", "\"tab\tin string\"", #"{"a":1}}"#,
        #"{"data":[{"id":"1"},{"id":"2""#,
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONScanner.SyntaxError.self) { try JSONScanner(Data(text.utf8)).validate() }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONScanner.SyntaxError.self) { try JSONScanner(Data(deep.utf8)).validate() }
    }

    @Test func slicesArrayElementsByteForByte() throws {
        // Escaped quotes and brackets inside strings, nested arrays, unicode, odd spacing and
        // number formats that a re-encode would change.
        let elements = [
            #"{"id":"a\"]}[","n":1.50,"big":12345678901234567890}"#,
            #"[ [1,2] , {"k":[ ]} ]"#,
            #"{"name":"Zoë 😀 \u00e9","x":1e3}"#,
            #""just a string with ] and }""#,
            "null",
        ]
        let body = "{ \"type\" : \"list\",\n \"data\" : [\n  " + elements.joined(separator: " ,\n  ") + "\n ] }"
        let scanner = JSONScanner(Data(body.utf8))
        let root = try scanner.validate()
        let members = try scanner.members(ofObjectAt: root)
        #expect(members.map(\.key) == ["type", "data"])
        let data = try #require(members.first { $0.key == "data" })
        let slices = try #require(try scanner.elements(ofArrayAt: data.value)).map {
            String(decoding: scanner.slice($0), as: UTF8.self)
        }
        #expect(slices == elements)
        #expect(try scanner.elements(ofArrayAt: data.value, limit: elements.count)?.count == elements.count)
        #expect(try scanner.elements(ofArrayAt: data.value, limit: elements.count - 1) == nil)
    }

    @Test func unescapesKeys() throws {
        let scanner = JSONScanner(Data(#"{"d\u0061ta":[1],"q\"k":2}"#.utf8))
        let members = try scanner.members(ofObjectAt: try scanner.validate())
        #expect(members.map(\.key) == ["data", "q\"k"])
    }

    /// Strings read as Foundation reads them where it can, and where it refuses (a lone surrogate's escape, bytes
    /// that are not UTF-8) as Swift decodes text: U+FFFD in their place, not an unreadable string.
    @Test(
        arguments: [
            (Array(#""a\"\\\/\b\f\n\r\t""#.utf8), "a\"\\/\u{8}\u{C}\n\r\t"),
            (Array(#""\u00e9\u20AC\ud83d\ude00""#.utf8), "é€😀"),
            (Array(#""x\ud800y""#.utf8), "x\u{FFFD}y"),
            (Array(#""\udc00\ud83d""#.utf8), "\u{FFFD}\u{FFFD}"),
            (Array(#""\ud83d\u0041""#.utf8), "\u{FFFD}A"),
            (Array(#""\n"#.utf8) + [0xFF, 0xC3] + Array(#"\u00e9""#.utf8), "\n\u{FFFD}\u{FFFD}é"),
        ] as [([UInt8], String)])
    func unescapesStrings(literal: [UInt8], text: String) throws {
        let scanner = JSONScanner(bytes: literal)
        let range = try scanner.validate()
        #expect(try scanner.unescapedString(in: range) == text)
        if let foundation = try? JSONDecoder().decode(String.self, from: Data(literal)) {
            #expect(foundation == text)
        }
    }

    @Test func aKeyWithALoneSurrogateLeavesItsObjectReadable() throws {
        let scanner = JSONScanner(Data(#"{"\udc00":1,"id":"c\ud800"}"#.utf8))
        let members = try #require(scanner.objectMembers(at: try scanner.validate()))
        #expect(members.map(\.key) == ["\u{FFFD}", "id"])
        #expect(scanner.lenientString(at: members[1].value) == "c\u{FFFD}")
    }

    @Test func findsTheFirstMembersOfTheNamesAskedForOnly() throws {
        let json = #"{"a":{"id":"inner"},"i\u0064":"first","n":[1,{"x":2}],"id":"second","x":null}"#
        let scanner = JSONScanner(Data(json.utf8))
        let root = try scanner.validate()
        let found = try #require(scanner.values(of: ["id", "x", "missing"], inValidatedObjectAt: root))
        #expect(found[0].map { String(decoding: scanner.bytes[$0], as: UTF8.self) } == #""first""#)
        #expect(found[1].map { scanner.isNull($0) } == true)
        #expect(found[2] == nil)
        #expect(scanner.values(of: ["id"], inValidatedObjectAt: try #require(found[0])) == nil, "not an object")
        let empty = JSONScanner(Data("{ }".utf8))
        #expect(empty.values(of: ["id"], inValidatedObjectAt: try empty.validate())?.count == 1)
    }
}
