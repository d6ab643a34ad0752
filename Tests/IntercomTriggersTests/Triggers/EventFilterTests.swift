import Foundation
import Testing

@testable import IntercomTriggers

/// `[[destination.when]]` evaluated on items and changes (docs/decisions.md, "Filters").
@Suite struct EventFilterTests {
    static let contact = """
        {"type":"contact","id":"c1","role":"user","email":"Ann@Example.com","name":"Ann \\"Junior\\" O\\u0027Neil",
         "phone":null,"owner_id":"123","created_at":1700000000,"updated_at":1700000500,
         "unsubscribed_from_emails":false,
         "custom_attributes":{"plan":"pro","seats":12,"ratio":0.75,"beta":true,"zip":"070",
           "regions":["EMEA","APAC"],"The One Ring":"mine","none":[],"big":9007199254740993},
         "location":{"type":"location","city":"Paris","country":"France","region":null},
         "tags":{"type":"list","data":[{"type":"tag","id":"7","url":"/tags/7"},{"type":"tag","id":"9","url":"/tags/9"}],
           "total_count":2,"has_more":false}}
        """
    static let conversation = """
        {"type":"conversation","id":"v1","admin_assignee_id":42,
         "source":{"type":"conversation","body":"<p>I need help</p>","author":{"type":"lead","id":"c2"}},
         "tags":{"type":"tag.list","tags":[{"type":"tag","id":"1","name":"VIP"},{"type":"tag","id":"2","name":"billing"}]},
         "statistics":{"time_to_assignment":30}}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var field: String
        var op: FilterOperator
        var value: FilterValue?
        var item: String = EventFilterTests.contact
        var matches: Bool

        var testDescription: String { "\(FilterCondition(field: field, operator: op, value: value)) → \(matches)" }
    }

    static func on(_ field: String, _ op: FilterOperator, _ value: FilterValue?, _ matches: Bool) -> Case {
        Case(field: field, op: op, value: value, matches: matches)
    }

    static func conversation(_ field: String, _ op: FilterOperator, _ value: FilterValue?, _ matches: Bool) -> Case {
        Case(field: field, op: op, value: value, item: conversation, matches: matches)
    }

    static let comparisons: [Case] = [
        // = and !=: strings ignore case; numbers compare as numbers; booleans equal booleans only.
        on("custom_attributes.plan", .equals, "pro", true),
        on("custom_attributes.plan", .equals, "PRO", true),
        on("custom_attributes.plan", .equals, "free", false),
        on("email", .equals, "ann@example.com", true),
        on("name", .equals, #"ann "junior" o'neil"#, true),
        on("custom_attributes.plan", .notEquals, "free", true),
        on("custom_attributes.plan", .notEquals, "Pro", false),
        on("custom_attributes.seats", .equals, 12, true),
        on("custom_attributes.seats", .equals, 12.0, true),
        on("custom_attributes.seats", .equals, "12", true),
        on("custom_attributes.seats", .notEquals, 13, true),
        on("owner_id", .equals, 123, true),
        on("custom_attributes.zip", .equals, "70", false),
        on("custom_attributes.zip", .equals, 70, true),
        on("custom_attributes.big", .equals, 9_007_199_254_740_993, true),
        on("custom_attributes.big", .equals, 9_007_199_254_740_992, false),
        on("custom_attributes.ratio", .equals, 0.75, true),
        on("custom_attributes.beta", .equals, true, true),
        on("custom_attributes.beta", .equals, false, false),
        on("custom_attributes.beta", .notEquals, false, true),
        on("custom_attributes.beta", .equals, "true", false),
        on("custom_attributes.plan", .equals, true, false),
        on("unsubscribed_from_emails", .equals, false, true),
        // Absent attributes and null have no value: only the negations hold.
        on("custom_attributes.missing", .equals, "x", false),
        on("custom_attributes.missing", .notEquals, "x", true),
        on("custom_attributes.missing", .in, ["x"], false),
        on("custom_attributes.missing", .notIn, ["x"], true),
        on("custom_attributes.missing", .lessThan, 5, false),
        on("custom_attributes.missing", .greaterThan, 5, false),
        on("custom_attributes.missing", .contains, "x", false),
        on("custom_attributes.missing", .notContains, "x", true),
        on("custom_attributes.missing", .startsWith, "x", false),
        on("custom_attributes.missing", .endsWith, "x", false),
        on("phone", .equals, "x", false),
        on("phone", .notEquals, "x", true),
        on("phone", .notContains, "x", true),
        on("location.region", .equals, "x", false),
        on("location.region", .notIn, ["x"], true),
        on("location.city.deeper", .equals, "Paris", false),
        on("email.deeper", .notEquals, "x", true),
        // IN and NIN.
        on("custom_attributes.plan", .in, ["free", "pro"], true),
        on("custom_attributes.plan", .in, ["free"], false),
        on("custom_attributes.seats", .in, [1, 12], true),
        on("custom_attributes.seats", .in, ["12", true], true),
        on("role", .in, ["lead"], false),
        on("custom_attributes.plan", .notIn, ["free"], true),
        on("custom_attributes.plan", .notIn, ["PRO", "x"], false),
        // < and >: numbers, timestamps in Unix seconds, numeric strings; never text.
        on("custom_attributes.seats", .greaterThan, 10, true),
        on("custom_attributes.seats", .lessThan, 10, false),
        on("custom_attributes.seats", .lessThan, 12.5, true),
        on("custom_attributes.ratio", .lessThan, 1, true),
        on("custom_attributes.ratio", .greaterThan, 0.5, true),
        on("created_at", .greaterThan, 1_699_999_999, true),
        on("created_at", .greaterThan, 1_700_000_000, false),
        on("created_at", .lessThan, 1_700_000_000, false),
        on("updated_at", .lessThan, 1_700_000_501, true),
        on("custom_attributes.zip", .greaterThan, 69, true),
        on("custom_attributes.plan", .greaterThan, 1, false),
        on("custom_attributes.beta", .greaterThan, 0, false),
        // ~ !~ ^ $: strings only, ignoring case.
        on("email", .contains, "EXAMPLE", true),
        on("email", .contains, "gmail", false),
        on("name", .contains, #""junior""#, true),
        on("email", .notContains, "gmail", true),
        on("email", .notContains, "example", false),
        on("email", .startsWith, "ann@", true),
        on("email", .startsWith, "example", false),
        on("email", .endsWith, ".COM", true),
        on("email", .endsWith, ".org", false),
        on("custom_attributes.seats", .contains, "1", false),
        on("custom_attributes.seats", .notContains, "1", true),
        // Lists: each element is a value; an empty list is no value.
        on("custom_attributes.regions", .equals, "apac", true),
        on("custom_attributes.regions", .notEquals, "APAC", false),
        on("custom_attributes.regions", .notEquals, "LATAM", true),
        on("custom_attributes.regions", .contains, "me", true),
        on("custom_attributes.regions", .startsWith, "AP", true),
        on("custom_attributes.regions", .notContains, "AP", false),
        on("custom_attributes.regions", .notContains, "LAT", true),
        on("custom_attributes.regions", .in, ["X", "emea"], true),
        on("custom_attributes.regions", .notIn, ["EMEA"], false),
        on("custom_attributes.regions", .notIn, ["LATAM"], true),
        on("custom_attributes.none", .equals, "x", false),
        on("custom_attributes.none", .notEquals, "x", true),
        // Paths through lists: each element's attribute.
        on("tags.data.id", .equals, "9", true),
        on("tags.data.id", .in, ["8", "7"], true),
        on("tags.data.id", .notIn, ["7"], false),
        on("tags.data.id", .notEquals, "8", true),
        on("tags.data.id", .greaterThan, 8, true),
        on("tags.data.missing", .equals, "7", false),
        // Nested paths and custom attribute names with spaces.
        on("location.city", .equals, "paris", true),
        on("location.country", .startsWith, "Fr", true),
        on("custom_attributes.The One Ring", .equals, "mine", true),
        // An object or a list of objects is no string, number or boolean.
        on("location", .equals, "Paris", false),
        on("location", .notEquals, "Paris", true),
        on("tags.data", .contains, "7", false),
        // Conversations.
        conversation("source.author.type", .equals, "lead", true),
        conversation("source.author.type", .in, ["user", "lead", "contact"], true),
        conversation("source.author.type", .equals, "admin", false),
        conversation("source.body", .contains, "NEED HELP", true),
        conversation("tags.tags.name", .equals, "vip", true),
        conversation("tags.tags.name", .notIn, ["vip"], false),
        conversation("admin_assignee_id", .equals, 42, true),
        conversation("admin_assignee_id", .equals, "42", true),
        conversation("statistics.time_to_assignment", .lessThan, 60, true),
        conversation("role", .equals, "user", false),
    ]

    @Test(arguments: comparisons)
    func comparison(_ test: Case) {
        let filter = EventFilter([FilterCondition(field: test.field, operator: test.op, value: test.value)])
        #expect(filter.matches(item: Data(test.item.utf8), changes: nil) == test.matches)
    }

    // MARK: changed

    struct ChangeCase: Sendable, CustomTestStringConvertible {
        var field: String
        var changes: String?
        var changed: Bool

        var testDescription: String { "\(field) changed in \(changes ?? "nil") → \(changed)" }
    }

    static let plan =
        #"{"custom_attributes.plan":{"previous":"free","current":"pro"},"email":{"previous":"a","current":"b"}}"#
    static let locationAdded = #"{"location":{"current":{"type":"location","city":"Paris","country":null}}}"#
    static let avatarRemoved = #"{"avatar":{"previous":{"type":"avatar","image_url":"u"},"current":null}}"#
    static let tagsList = #"{"tags.data":{"previous":[{"id":"7"}],"current":[{"id":"7"},{"id":"9","url":null}]}}"#

    static let changes: [ChangeCase] = [
        // The key equals the path.
        ChangeCase(field: "custom_attributes.plan", changes: plan, changed: true),
        ChangeCase(field: "email", changes: plan, changed: true),
        ChangeCase(field: "name", changes: plan, changed: false),
        ChangeCase(field: "custom_attributes.seats", changes: plan, changed: false),
        ChangeCase(field: "custom_attributes.pl", changes: plan, changed: false),
        ChangeCase(field: "custom_attributes.plan.tier", changes: plan, changed: false),
        // A key beneath the path.
        ChangeCase(field: "custom_attributes", changes: plan, changed: true),
        ChangeCase(field: "tags", changes: tagsList, changed: true),
        // The path beneath a key: the sub-values differ.
        ChangeCase(field: "location", changes: locationAdded, changed: true),
        ChangeCase(field: "location.city", changes: locationAdded, changed: true),
        ChangeCase(field: "location.country", changes: locationAdded, changed: false),
        ChangeCase(field: "location.region", changes: locationAdded, changed: false),
        ChangeCase(field: "avatar.image_url", changes: avatarRemoved, changed: true),
        ChangeCase(field: "avatar.missing", changes: avatarRemoved, changed: false),
        ChangeCase(field: "tags.data.id", changes: tagsList, changed: true),
        ChangeCase(field: "tags.data.url", changes: tagsList, changed: false),
        ChangeCase(
            field: "location.city",
            changes: #"{"location":{"previous":{"city":"Paris"},"current":{"city" : "Paris"}}}"#,
            changed: false),
        ChangeCase(
            field: "custom_attributes.plan", changes: #"{"custom_attributes.plan":{"previous":"pro"}}"#, changed: true),
        // No changes, empty or malformed changes.
        ChangeCase(field: "email", changes: nil, changed: false),
        ChangeCase(field: "email", changes: "{}", changed: false),
        ChangeCase(field: "email", changes: #"{"email":{"previous":"a","current":"b"}"#, changed: false),
        ChangeCase(field: "email", changes: #"["email"]"#, changed: false),
    ]

    @Test(arguments: changes)
    func changed(_ test: ChangeCase) {
        let filter = EventFilter([FilterCondition(field: test.field, operator: .changed)])
        #expect(
            filter.matches(item: Data(Self.contact.utf8), changes: test.changes.map { Data($0.utf8) }) == test.changed)
    }

    @Test func changesAsItemChangesWritesThem() throws {
        let previous = #"{"id":"c1","email":"a@x.io","custom_attributes":{"plan":"free","seats":3}}"#
        let current =
            #"{"id":"c1","email":"a@x.io","custom_attributes":{"plan":"pro","seats":3},"location":{"city":"Cork"}}"#
        let changes = try ItemChanges(previous: Data(previous.utf8), current: Data(current.utf8)).json
        let item = Data(current.utf8)
        let upgraded = EventFilter([
            FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro"),
            FilterCondition(field: "custom_attributes.plan", operator: .changed),
        ])
        #expect(upgraded.matches(item: item, changes: changes))
        #expect(!upgraded.matches(item: item, changes: nil))
        #expect(
            EventFilter([FilterCondition(field: "location.city", operator: .changed)]).matches(
                item: item, changes: changes))
        #expect(
            !EventFilter([FilterCondition(field: "email", operator: .changed)]).matches(item: item, changes: changes))
        #expect(
            !EventFilter([FilterCondition(field: "custom_attributes.seats", operator: .changed)]).matches(
                item: item, changes: changes))
    }

    // MARK: All conditions, malformed items

    @Test func everyConditionMustHold() {
        let item = Data(Self.contact.utf8)
        let pro = FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro")
        #expect(
            EventFilter([pro, FilterCondition(field: "custom_attributes.seats", operator: .greaterThan, value: 10)])
                .matches(item: item, changes: nil))
        #expect(
            !EventFilter([pro, FilterCondition(field: "custom_attributes.seats", operator: .greaterThan, value: 20)])
                .matches(item: item, changes: nil))
        #expect(
            !EventFilter([pro, FilterCondition(field: "email", operator: .changed)]).matches(item: item, changes: nil))
        #expect(EventFilter().matches(item: item, changes: nil))
    }

    @Test(arguments: [
        "", "   ", "{", "not json", "[1,2]", "\"text\"", "null", #"{"custom_attributes":{"plan":"pro"}"#,
        #"{"custom_attributes":{"plan":"pro"}} trailing"#, #"{"custom_attributes":{"plan":"pro"}}{}"#,
        #"{"custom_attributes":{"plan":"pro",}}"#, #"{"custom_attributes":{"plan":"pro\u12"}}"#,
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        #"{"a":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}",
        "{\"custom_attributes\":{\"plan\":\"pro\u{0}\"}}",
    ])
    func malformedItemsMatchNoCondition(_ text: String) {
        let item = Data(text.utf8)
        let changes = Data(#"{"custom_attributes.plan":{"current":"pro"}}"#.utf8)
        for condition in [
            FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro"),
            FilterCondition(field: "custom_attributes.plan", operator: .notEquals, value: "free"),
            FilterCondition(field: "custom_attributes.plan", operator: .notIn, value: ["free"]),
            FilterCondition(field: "custom_attributes.plan", operator: .changed),
        ] {
            #expect(!EventFilter([condition]).matches(item: item, changes: changes), "\(condition)")
        }
        #expect(EventFilter().matches(item: item, changes: changes))
    }

    @Test func aValueThatDoesNotSuitTheOperatorHoldsForNone() {
        // The configuration refuses these; built in code they match nothing (their negations everything).
        let item = Data(Self.contact.utf8)
        #expect(
            !EventFilter([FilterCondition(field: "custom_attributes.seats", operator: .lessThan, value: "x")])
                .matches(item: item, changes: nil))
        #expect(
            !EventFilter([FilterCondition(field: "email", operator: .contains, value: 1)])
                .matches(item: item, changes: nil))
        #expect(!EventFilter([FilterCondition(field: "email", operator: .equals)]).matches(item: item, changes: nil))
        #expect(
            EventFilter([FilterCondition(field: "email", operator: .notIn, value: "x")])
                .matches(item: item, changes: nil))
        #expect(
            !EventFilter([FilterCondition(field: "custom_attributes.ratio", operator: .equals, value: .float(.nan))])
                .matches(item: item, changes: nil))
    }

    // MARK: Words

    @Test func words() {
        #expect(EventFilter().description == "every event")
        let filter = EventFilter([
            FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro"),
            FilterCondition(field: "custom_attributes.plan", operator: .changed),
            FilterCondition(field: "role", operator: .in, value: ["user", "lead"]),
            FilterCondition(field: "custom_attributes.seats", operator: .greaterThan, value: 2.5),
            FilterCondition(field: "name", operator: .notContains, value: #"say "hi""#),
            FilterCondition(field: "custom_attributes.beta", operator: .notEquals, value: true),
        ])
        #expect(
            filter.description
                == #"when custom_attributes.plan = "pro" and custom_attributes.plan changed and role IN ["user", "lead"] "#
                + #"and custom_attributes.seats > 2.5 and name !~ "say \"hi\"" and custom_attributes.beta != true"#)
    }
}

@Suite struct JSONScannerDocumentMembersTests {
    @Test func membersOfTheWholeDocument() throws {
        let scanner = JSONScanner(Data(" {\"a\": 1 , \"b\":[true]}\n".utf8))
        let members = try scanner.documentMembers()
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members.map { String(decoding: scanner.bytes[$0.value], as: UTF8.self) } == ["1", "[true]"])
        #expect(try JSONScanner(Data("{}".utf8)).documentMembers().isEmpty)
    }

    @Test(arguments: ["", "{", "{} x", "[]", "{\"a\":}", "{\"a\":1}}"])
    func refusesWhatIsNotOneObject(_ text: String) {
        #expect(throws: JSONScanner.SyntaxError.self) { try JSONScanner(Data(text.utf8)).documentMembers() }
    }
}
