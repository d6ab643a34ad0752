import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ReadableEventLineTests {
    static let utc = ReadableEventLine(timeZone: TimeZone(identifier: "UTC")!)
    /// 2025-11-21 09:22:05 UTC.
    static let version = 1_763_716_925
    static let ada = #"{"type":"contact","id":"u1","role":"user","name":"Ada Lovelace","email":"ada@example.com"}"#

    static func event(_ topic: String, _ item: String, changes: String? = nil, itemID: String = "u1") -> StoredEvent {
        StoredEvent(
            seq: 1, id: "notif_1", topic: topic, itemID: itemID, version: version, detectedAt: version + 3,
            item: Data(item.utf8), changes: changes.map { Data($0.utf8) })
    }

    static let long = String(repeating: "x", count: 100)
    static let marker = ReadableEventLine.noEarlierVersion

    /// (what, event, the expected line).
    static let table: [(String, StoredEvent, String)] = [
        (
            "a created user by name and email", event("contact.user.created", ada),
            "09:22:05  contact.user.created       Ada Lovelace <ada@example.com> (u1)"
        ),
        (
            "a lead with neither name nor email is its id",
            event("contact.lead.created", #"{"id":"l1","name":null,"email":""}"#, itemID: "l1"),
            "09:22:05  contact.lead.created       l1"
        ),
        (
            "a lead with an email only", event("contact.lead.created", #"{"id":"l2","email":"x@example.com"}"#),
            "09:22:05  contact.lead.created       x@example.com (u1)"
        ),
        (
            "a custom attribute by its own name, an empty string quoted",
            event(
                "contact.user.updated", ada,
                changes: #"{"custom_attributes.plan":{"previous":"free","current":"pro"},"#
                    + #""email":{"previous":"","current":"ada@example.com"}}"#),
            "09:22:05  contact.user.updated       Ada Lovelace <ada@example.com> (u1)  "
                + "plan: free → pro, email: \"\" → ada@example.com"
        ),
        (
            "nested paths, numbers, null, an attribute added and one removed",
            event(
                "contact.lead.updated", ada,
                changes: #"{"location.city":{"previous":"Dublin","current":"Berlin"},"#
                    + #""custom_attributes.seats":{"previous":3,"current":5},"#
                    + #""phone":{"previous":null,"current":"+1 415"},"#
                    + #""custom_attributes.beta":{"current":true},"# + #""custom_attributes.trial":{"previous":"yes"}}"#
            ),
            "09:22:05  contact.lead.updated       Ada Lovelace <ada@example.com> (u1)  "
                + "location.city: Dublin → Berlin, seats: 3 → 5, phone: null → +1 415, beta: — → true, +1 more"
        ),
        (
            "a custom attribute named like a top-level one keeps its full path; lists and objects as compact JSON",
            event(
                "contact.user.updated", ada,
                changes: #"{"custom_attributes.email":{"previous":"a","current":"b"},"#
                    + #""tags.data":{"previous":[],"current":[ {"type":"tag", "id":"7"} ]}}"#),
            "09:22:05  contact.user.updated       Ada Lovelace <ada@example.com> (u1)  "
                + #"custom_attributes.email: a → b, tags.data: [] → [{"type":"tag","id":"7"}]"#
        ),
        (
            "an update without an earlier version says so", event("contact.user.updated", ada),
            "09:22:05  contact.user.updated       Ada Lovelace <ada@example.com> (u1)  \(marker)"
        ),
        (
            "empty changes are none", event("contact.user.updated", ada, changes: "{}"),
            "09:22:05  contact.user.updated       Ada Lovelace <ada@example.com> (u1)  \(marker)"
        ),
        (
            "very long values, names and paths are cut",
            event(
                "contact.user.updated", #"{"id":"u1","name":"\#(long)"}"#,
                changes: #"{"custom_attributes.\#(long)":{"previous":"\#(long)","current":1}}"#),
            "09:22:05  contact.user.updated       \(String(repeating: "x", count: 39))… (u1)  "
                + "\(String(repeating: "x", count: 39))…: \(String(repeating: "x", count: 39))… → 1"
        ),
        (
            "hostile names, ids and values cannot drive the terminal or break the line",
            event(
                "contact.user.updated", #"{"id":"u1","name":"\u001b[2J\nEvil\u202e"}"#,
                changes: #"{"name\r":{"previous":"a\u0007","current":"\u009b31m"}}"#, itemID: "u\n1"),
            #"09:22:05  contact.user.updated       \u{1b}[2J\nEvil\u{202e} (u\n1)  "#
                + #"name\r: a\u{7} → \u{9b}31m"#
        ),
        (
            "a conversation by its author, with its first words",
            event(
                "conversation.user.created",
                #"{"type":"conversation","id":"9","title":null,"source":{"type":"conversation","#
                    + #""subject":"","body":"<p>Hi, I can't\n log in</p><p>since today.</p>","#
                    + #""author":{"type":"user","id":"u1","name":"Ada","email":"ada@example.com"}}}"#, itemID: "9"),
            #"09:22:05  conversation.user.created  Ada <ada@example.com> (9)  "Hi, I can't log in since today.""#
        ),
        (
            "a conversation without an author name by its title",
            event(
                "conversation.user.created",
                #"{"id":"9","title":"Refund","source":{"body":"","subject":"Money","author":{"name":null}}}"#,
                itemID: "9"),
            #"09:22:05  conversation.user.created  Refund (9)  "Money""#
        ),
        (
            "a sign-up shows who", event("contact.lead.signed_up", ada),
            "09:22:05  contact.lead.signed_up     Ada Lovelace <ada@example.com> (u1)"
        ),
        (
            "an item that is not JSON is its id; changes that are not JSON say so",
            event("contact.user.updated", "{not json", changes: "[1,"),
            "09:22:05  contact.user.updated       u1  (changes unreadable)"
        ),
    ]

    @Test(arguments: table)
    func rendersOneLine(what: String, event: StoredEvent, expected: String) {
        let line = Self.utc.render(event)
        #expect(line == expected, "\(what)")
        #expect(!line.contains("\n") && !line.contains("\u{1B}"), "\(what)")
    }

    @Test func theTimeIsTheVersionsInTheChosenZone() {
        let kolkata = ReadableEventLine(timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        #expect(kolkata.render(Self.event("contact.user.created", Self.ada)).hasPrefix("14:52:05  "))
        #expect(ReadableEventLine.clock(Int.max, in: TimeZone(identifier: "Asia/Kolkata")!).count == 8)
        #expect(ReadableEventLine.clock(Int.max, in: TimeZone(identifier: "UTC")!) == "15:30:07")
        #expect(ReadableEventLine.clock(Int.min, in: TimeZone(identifier: "UTC")!) == "08:29:52")
    }

    @Test func colourWrapsTheTopicAndTheLabels() {
        var renderer = Self.utc
        renderer.colour = true
        let line = renderer.render(
            Self.event(
                "contact.user.updated", Self.ada,
                changes: #"{"custom_attributes.plan":{"previous":"free","current":"pro"}}"#))
        #expect(line.contains("\u{1B}[33mcontact.user.updated\u{1B}[0m"))
        #expect(line.contains("\u{1B}[1mplan\u{1B}[0m: free → pro"))
        #expect(line.hasPrefix("\u{1B}[2m09:22:05\u{1B}[0m  "))
    }

    /// (--json, stdout is a terminal, environment) → JSON (nil), or readable with or without colour.
    @Test(
        arguments: [
            (false, true, [:], true),
            (false, true, ["NO_COLOR": "1"], false),
            (false, true, ["NO_COLOR": ""], true),
            (false, true, ["TERM": "dumb"], false),
        ] as [(Bool, Bool, [String: String], Bool)])
    func demoOnATerminalIsReadable(json: Bool, isTerminal: Bool, environment: [String: String], colour: Bool) {
        let chosen = ReadableEventLine.forDemo(json: json, isTerminal: isTerminal, environment: environment)
        #expect(chosen?.colour == colour)
    }

    /// A conversation's HTML loses its tags in one pass; a `<` without a `>` after it stays text, also 200,000 of
    /// them (the regex this replaced tried each up to the end: 32 KB took 20 s).
    @Test(arguments: [
        ("<p>Hi <b>there</b></p>", " Hi  there  "), ("a < b", "a < b"), ("<a<b>c", " c"), ("x<>y", "x y"),
        ("1 < 2 > 0", "1   0"), ("", ""),
        (String(repeating: "<a", count: 100_000), String(repeating: "<a", count: 100_000)),
    ])
    func tagsAreTakenOutOfAConversationsText(html: String, text: String) {
        #expect(ReadableEventLine.Item.withoutTags(html) == text)
    }

    @Test(arguments: [(true, true), (false, false), (true, false)])
    func demoPipedOrWithJSONPrintsJSON(json: Bool, isTerminal: Bool) {
        #expect(ReadableEventLine.forDemo(json: json, isTerminal: isTerminal, environment: [:]) == nil)
    }
}
