import Foundation
import Testing

@testable import IntercomTriggers

/// `[[destination.when]]`: what is read into the destination's ``EventFilter``, what is refused (with its line
/// and fix), and how `check-config` shows it.
@Suite struct ConfigFilterTests {
    /// A stdout destination of contact topics; its `[[destination.when]]` tables start on line 5.
    static let contacts = """
        [[destination]]
        name = "console"
        stdout = true
        topics = ["contact.lead.created", "contact.user.updated"]

        """
    /// The same with the default topics (contacts and conversations).
    static let everything = "[[destination]]\nname = \"console\"\nstdout = true\n\n\n"

    static func when(_ field: String, _ op: String, _ value: String? = nil) -> String {
        "[[destination.when]]\nfield = \"\(field)\"\noperator = \"\(op)\"\n" + (value.map { "value = \($0)\n" } ?? "")
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var text: String
        var filter: EventFilter
    }

    static let forms: [Accepted] = [
        Accepted(
            testDescription: "a custom attribute on every default topic",
            text: everything + when("custom_attributes.plan", "=", "\"pro\""),
            filter: EventFilter([FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro")])),
        Accepted(
            testDescription: "two conditions, one changed",
            text: contacts + when("custom_attributes.plan", "=", "\"pro\"") + "\n"
                + when("custom_attributes.plan", "changed"),
            filter: EventFilter([
                FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro"),
                FilterCondition(field: "custom_attributes.plan", operator: .changed),
            ])),
        Accepted(
            testDescription: "IN with strings, numbers and booleans",
            text: contacts + when("custom_attributes.tier", "IN", #"["pro", 3, 1.5, true]"#),
            filter: EventFilter([
                FilterCondition(field: "custom_attributes.tier", operator: .in, value: ["pro", 3, 1.5, true])
            ])),
        Accepted(
            testDescription: "NIN over several lines",
            text: contacts + when("role", "NIN", "[\n  \"lead\",\n  \"visitor\",\n]"),
            filter: EventFilter([FilterCondition(field: "role", operator: .notIn, value: ["lead", "visitor"])])),
        Accepted(
            testDescription: "numbers for < and >",
            text: contacts + when("created_at", ">", "1735689600") + when("custom_attributes.score", "<", "0.5"),
            filter: EventFilter([
                FilterCondition(field: "created_at", operator: .greaterThan, value: 1_735_689_600),
                FilterCondition(field: "custom_attributes.score", operator: .lessThan, value: 0.5),
            ])),
        Accepted(
            testDescription: "text operators",
            text: contacts + when("email", "~", "\"@acme\"") + when("email", "!~", "\"test\"")
                + when("name", "^", "\"Dr\"") + when("email", "$", "\".io\""),
            filter: EventFilter([
                FilterCondition(field: "email", operator: .contains, value: "@acme"),
                FilterCondition(field: "email", operator: .notContains, value: "test"),
                FilterCondition(field: "name", operator: .startsWith, value: "Dr"),
                FilterCondition(field: "email", operator: .endsWith, value: ".io"),
            ])),
        Accepted(
            testDescription: "booleans and !=",
            text: contacts + when("unsubscribed_from_emails", "!=", "true"),
            filter: EventFilter([FilterCondition(field: "unsubscribed_from_emails", operator: .notEquals, value: true)])
        ),
        Accepted(
            testDescription: "a conversation's nested attribute",
            text: "[triggers]\ntopics = [\"conversation.user.created\"]\n\n" + everything
                + when("source.author.type", "IN", #"["user", "lead"]"#) + when("tags.tags.name", "=", "\"vip\""),
            filter: EventFilter([
                FilterCondition(field: "source.author.type", operator: .in, value: ["user", "lead"]),
                FilterCondition(field: "tags.tags.name", operator: .equals, value: "vip"),
            ])),
        Accepted(
            testDescription: "a custom attribute name with spaces",
            text: everything + when("custom_attributes.The One Ring", "=", "\"mine\""),
            filter: EventFilter([
                FilterCondition(field: "custom_attributes.The One Ring", operator: .equals, value: "mine")
            ])),
        Accepted(
            testDescription: "an element of a list, an object changed",
            text: contacts + when("tags.data.id", "IN", #"["7", "9"]"#) + when("custom_attributes", "changed"),
            filter: EventFilter([
                FilterCondition(field: "tags.data.id", operator: .in, value: ["7", "9"]),
                FilterCondition(field: "custom_attributes", operator: .changed),
            ])),
        Accepted(
            testDescription: "inline tables",
            text: """
                [[destination]]
                name = "console"
                stdout = true
                when = [{ field = "custom_attributes.plan", operator = "changed" }, { field = "email", operator = "~", value = "@acme" }]
                topics = ["contact.user.updated"]
                """,
            filter: EventFilter([
                FilterCondition(field: "custom_attributes.plan", operator: .changed),
                FilterCondition(field: "email", operator: .contains, value: "@acme"),
            ])),
        Accepted(testDescription: "no when: every event", text: contacts, filter: EventFilter()),
    ]

    @Test(arguments: forms)
    func accepted(_ test: Accepted) throws {
        let configuration = try ConfigFixture.with { try $0.parse(test.text) }
        #expect(configuration.destinations.map(\.filter) == [test.filter])
    }

    @Test func eachDestinationHasItsOwnFilter() throws {
        let configuration = try ConfigFixture.with { fixture in
            try fixture.parse(
                Self.contacts + Self.when("email", "~", "\"@acme\"")
                    + "\n[[destination]]\nname = \"all\"\nstdout = true\n\n[[destination]]\nname = \"pro\"\nstdout = true\n"
                    + Self.when("custom_attributes.plan", "=", "\"pro\""))
        }
        #expect(
            configuration.destinations.map(\.filter.description) == [
                #"when email ~ "@acme""#, "every event", #"when custom_attributes.plan = "pro""#,
            ])
    }

    // MARK: Refusals

    struct Refused: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var text: String
        var line: Int
        var problem: String
        var fix: String
    }

    static let refusals: [Refused] = [
        Refused(
            testDescription: "unknown operator", text: contacts + when("email", "=="), line: 7,
            problem: #"unknown operator "==" in [[destination.when]] #1 of "console""#,
            fix:
                #"did you mean "="? write operator = one of "=", "!=", "IN", "NIN", "<", ">", "~", "!~", "^", "$" or "changed""#
        ),
        Refused(
            testDescription: "operator in lower case", text: contacts + when("role", "in", #"["user"]"#), line: 7,
            problem: #"unknown operator "in""#, fix: #"did you mean "IN"?"#),
        Refused(
            testDescription: ">=", text: contacts + when("created_at", ">=", "1"), line: 7,
            problem: #"unknown operator ">=""#, fix: #"there is no >=: write ">""#),
        Refused(
            testDescription: "operator not a string",
            text: contacts + "[[destination.when]]\nfield = \"email\"\noperator = 1\n",
            line: 7, problem: "`operator` in [[destination.when]] #1 of \"console\" must be a string",
            fix: #"write operator = "=""#),
        Refused(
            testDescription: "no field", text: contacts + "[[destination.when]]\noperator = \"changed\"\n", line: 5,
            problem: "[[destination.when]] #1 of \"console\" has no field",
            fix: #"add field = "custom_attributes.plan""#),
        Refused(
            testDescription: "no operator", text: contacts + "[[destination.when]]\nfield = \"email\"\nvalue = \"x\"\n",
            line: 5, problem: "has no operator", fix: #"add operator = "=" ("=", "!=""#),
        Refused(
            testDescription: "an empty name between dots", text: contacts + when("custom_attributes..plan", "changed"),
            line: 6, problem: "which has an empty name between dots", fix: "attribute names joined by single dots"),
        Refused(
            testDescription: "a leading dot", text: contacts + when(".email", "changed"), line: 6,
            problem: "empty name between dots", fix: "single dots"),
        Refused(
            testDescription: "an empty field", text: contacts + when("", "changed"), line: 6,
            problem: "`field` in [[destination.when]] #1 of \"console\" is empty", fix: "single dots"),
        Refused(
            testDescription: "a space in a standard path", text: contacts + when("custom attributes.plan", "changed"),
            line: 6, problem: "which has a space where a name cannot", fix: "only a custom attribute's name"),
        Refused(
            testDescription: "a space around a custom attribute's name",
            text: contacts + when("custom_attributes. plan", "changed"), line: 6, problem: "has a space",
            fix: "remove the spaces"),
        Refused(
            testDescription: "not an attribute of contacts", text: contacts + when("emaill", "=", "\"x\""), line: 6,
            problem: #""emaill" is not an attribute of Intercom's contacts"#, fix: #"did you mean "email"?"#),
        Refused(
            testDescription: "a misspelt custom_attributes", text: contacts + when("custom_atributes.plan", "changed"),
            line: 6, problem: "is not an attribute", fix: #"did you mean "custom_attributes.plan"?"#),
        Refused(
            testDescription: "an attribute of neither", text: everything + when("emial", "changed"), line: 7,
            problem: #""emial" is not an attribute of Intercom's contacts or conversations"#,
            fix: #"did you mean "email"?"#),
        Refused(
            testDescription: "a search-only field", text: contacts + when("tag_id", "=", "\"7\""), line: 6,
            problem: #""tag_id" is not an attribute of Intercom's contacts"#, fix: "custom_attributes.<name>"),
        Refused(
            testDescription: "a conversation attribute on contact topics",
            text: contacts + when("source.author.type", "=", "\"lead\""), line: 6,
            problem: "is not an attribute of Intercom's contacts", fix: "name an attribute of the item"),
        Refused(
            testDescription: "a contact attribute on conversation topics too",
            text: everything + when("role", "=", "\"user\""), line: 7,
            problem: #""role" is an attribute of contacts but not of conversations, which this destination also "#
                + #"receives ("conversation.user.created")"#,
            fix:
                #"set topics = ["contact.lead.created", "contact.user.created", "contact.user.updated"] in this destination"#
        ),
        Refused(
            testDescription: "an object compared", text: contacts + when("location", "=", "\"Paris\""), line: 6,
            problem: #"is "location", an object, which operator "=" cannot compare"#,
            fix: #"such as field = "location.country""#),
        Refused(
            testDescription: "custom_attributes compared", text: contacts + when("custom_attributes", "~", "\"pro\""),
            line: 6, problem: "an object", fix: #"field = "custom_attributes.<name>""#),
        Refused(
            testDescription: "< with a string", text: contacts + when("created_at", "<", "\"yesterday\""), line: 8,
            problem: #"must be a number for operator "<", not a string"#, fix: "write value = 1735689600"),
        Refused(
            testDescription: "> with a number in quotes", text: contacts + when("created_at", ">", "\"42\""), line: 8,
            problem: "must be a number", fix: "write value = 42, without quotes"),
        Refused(
            testDescription: "< with a date-time", text: contacts + when("created_at", "<", "2025-01-01T00:00:00Z"),
            line: 8, problem: "is a date-time, but items hold times as Unix seconds", fix: "write value = 1735689600"),
        Refused(
            testDescription: "IN without an array", text: contacts + when("role", "IN", "\"user\""), line: 8,
            problem: #"must be an array for operator "IN", not a string"#, fix: #"write value = ["user"]"#),
        Refused(
            testDescription: "IN with an empty array", text: contacts + when("role", "IN", "[]"), line: 8,
            problem: #"is an empty array, so "IN" would hold for no event"#, fix: "list at least one value"),
        Refused(
            testDescription: "NIN with an empty array", text: contacts + when("role", "NIN", "[]"), line: 8,
            problem: "would hold for every event", fix: "list at least one value"),
        Refused(
            testDescription: "IN with an array in the array", text: contacts + when("role", "IN", "[[\"user\"]]"),
            line: 8, problem: "must be a string, number or boolean, not an array", fix: "an array of them for IN"),
        Refused(
            testDescription: "~ with a number", text: contacts + when("email", "~", "42"), line: 8,
            problem: #"must be a string for operator "~", not an integer"#, fix: #"write value = "42""#),
        Refused(
            testDescription: "^ with an empty string", text: contacts + when("email", "^", "\"\""), line: 8,
            problem: #"is empty, so operator "^" would hold for every string"#, fix: "the text to look for"),
        Refused(
            testDescription: "= with an array", text: contacts + when("role", "=", "[\"user\"]"), line: 8,
            problem: #"must be one value for operator "=", not an array"#, fix: #"write operator = "IN""#),
        Refused(
            testDescription: "= with a table", text: contacts + when("role", "=", "{ a = 1 }"), line: 8,
            problem: "must be a string, number or boolean, not a table", fix: #"write value = "pro""#),
        Refused(
            testDescription: "a float that is not finite", text: contacts + when("custom_attributes.x", ">", "nan"),
            line: 8, problem: "not a finite number", fix: "1.5"),
        Refused(
            testDescription: "changed with a value", text: contacts + when("email", "changed", "\"x\""), line: 8,
            problem: #"`value` in [[destination.when]] #1 of "console" has no use with operator "changed""#,
            fix: "remove value"),
        Refused(
            testDescription: "= without a value", text: contacts + when("email", "="), line: 5,
            problem: #"has no value for operator "=""#, fix: #"add value = "pro""#),
        Refused(
            testDescription: "IN without a value", text: contacts + when("email", "IN"), line: 5,
            problem: #"has no value for operator "IN""#, fix: #"add value = ["pro", "team"]"#),
        Refused(
            testDescription: "changed on topics without changes",
            text: "[[destination]]\nname = \"new\"\nstdout = true\ntopics = [\"contact.lead.created\"]\n"
                + when("email", "changed"),
            line: 7, problem: #"operator "changed" in [[destination.when]] #1 of "new" never holds"#,
            fix: #"add "contact.user.updated" or "contact.lead.updated""#),
        Refused(
            testDescription: "an unknown key in a when table",
            text: contacts + when("email", "changed") + "values = 1\n",
            line: 8, problem: "unknown key `values` in [[destination.when]] #1 of \"console\"",
            fix: "did you mean `value`?"),
        Refused(
            testDescription: "a destination key below its when table",
            text: contacts + when("email", "changed") + "timeout = \"5s\"\n", line: 8, problem: "unknown key `timeout`",
            fix: "move it above the destination's first [[destination.when]]"),
        Refused(
            testDescription: "topics below a when table",
            text: contacts + when("email", "changed") + "topics = [\"contact.user.updated\"]\n", line: 8,
            problem: "unknown key `topics`", fix: "move it above the destination's first [[destination.when]]"),
        Refused(
            testDescription: "a condition's key in the destination",
            text: "[[destination]]\nname = \"console\"\nstdout = true\nfield = \"email\"\n", line: 4,
            problem: "unknown key `field` in [[destination]]", fix: "move it under [[destination.when]]"),
        Refused(
            testDescription: "changed on updated_at", text: contacts + when("updated_at", "changed"), line: 6,
            problem: #"operator "changed" on "updated_at" in [[destination.when]] #1 of "console" never holds"#,
            fix: #"such as field = "custom_attributes.plan""#),
        Refused(
            testDescription: "changed under an ignored field", text: contacts + when("location.city", "changed"),
            line: 6, problem: #""location" is in [triggers] ignore_fields"#,
            fix: #"remove "location" from ignore_fields in [triggers]"#),
        Refused(
            testDescription: "changed on a field ignored by the file",
            text: "[triggers]\nignore_fields = [\"custom_attributes.plan\"]\n\n" + contacts
                + when("custom_attributes.plan", "changed"),
            line: 9, problem: #""custom_attributes.plan" is in [triggers] ignore_fields"#, fix: "or filter on another"),
        Refused(
            testDescription: "when that is not a table",
            text: "[[destination]]\nname = \"c\"\nstdout = true\nwhen = 3\n",
            line: 4, problem: "`when` in [[destination]] \"c\" must be an array of tables, not an integer",
            fix: "[[destination.when]] header"),
        Refused(
            testDescription: "the second destination's condition",
            text: contacts + when("email", "changed") + "\n[[destination]]\nname = \"b\"\nstdout = true\n"
                + "topics = [\"contact.user.updated\"]\n\n" + when("email", "changed") + "\n"
                + when("phone", "IN", "[]"),
            line: 21, problem: #"[[destination.when]] #2 of "b" is an empty array"#, fix: "list at least one value"),
    ]

    @Test(arguments: refusals)
    func refused(_ test: Refused) throws {
        try ConfigFixture.with { fixture in
            guard let error = fixture.refusal(test.text) else {
                Issue.record("accepted: \(test.testDescription)")
                return
            }
            #expect(error.file == fixture.file)
            #expect(error.line == test.line, "\(error)")
            #expect(error.problem.contains(test.problem), "\(error)")
            #expect(error.fix.contains(test.fix), "\(error)")
        }
    }

    @Test func changedOnAnActivityFieldIsAcceptedOnceItIsNoLongerIgnored() throws {
        try ConfigFixture.with { fixture in
            #expect(
                fixture.refusal(
                    "[triggers]\nignore_fields = []\n\n" + Self.contacts + Self.when("location.city", "changed")) == nil
            )
            #expect(fixture.refusal(Self.contacts + Self.when("location.city", "=", "\"Paris\"")) == nil)
        }
    }

    @Test func theSourceMapFindsEachDestinationsConditions() {
        let map = ConfigSourceMap(
            text:
                "[[destination]]\nname = \"a\"\n[[destination.when]]\nfield = \"x\"\n[[destination.when]]\nfield = \"y\"\n"
                + "[[destination]]\nname = \"b\"\n[[destination.when]]\nfield = \"z\"\n[destination.extra]\nk = 1\n")
        #expect(map.line(of: "destination[0].when[0].field") == 4)
        #expect(map.line(of: "destination[0].when[1].field") == 6)
        #expect(map.line(of: "destination[1].name") == 8)
        #expect(map.line(of: "destination[1].when[0]") == 9)
        #expect(map.line(of: "destination[1].when[0].field") == 10)
        #expect(map.line(of: "destination[1].when[1].field") == 7)
        #expect(map.line(of: "destination[1].extra.k") == 12)
    }

    // MARK: check-config

    static let rendered = """
        [triggers]
        topics = ["contact.lead.created", "contact.user.updated"]

        [[destination]]
        name = "pro"
        stdout = true
        [[destination.when]]
        field = "custom_attributes.plan"
        operator = "="
        value = "pro"
        [[destination.when]]
        field = "custom_attributes.plan"
        operator = "changed"
        [[destination.when]]
        field = "custom_attributes.seats"
        operator = "IN"
        value = [1, 2.5, "many", true]

        [[destination]]
        name = "all"
        stdout = true
        """

    @Test func checkConfigShowsTheFilterInWords() throws {
        let text = try ConfigFixture.with { try $0.parse(Self.rendered) }.render()
        #expect(
            text.contains(
                """
                retry_schedule = ["5s", "5m", "30m", "2h", "5h", "10h", "10h"]
                format = "intercom"
                # filter: when custom_attributes.plan = "pro" and custom_attributes.plan changed and \
                custom_attributes.seats IN [1, 2.5, "many", true]

                [[destination.when]]
                field = "custom_attributes.plan"
                operator = "="
                value = "pro"

                [[destination.when]]
                field = "custom_attributes.plan"
                operator = "changed"

                [[destination.when]]
                field = "custom_attributes.seats"
                operator = "IN"
                value = [1, 2.5, "many", true]

                [[destination]]
                name = "all"
                """), "\(text)")
        #expect(text.contains("# filter: every event\n\n[delivery]"), "\(text)")
    }

    @Test func theRenderingParsesBackToTheSameFilters() throws {
        let environment = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token]
        let original = try DaemonConfiguration.parse(text: Self.rendered, file: "d.conf", environment: environment)
        let rendered = original.render().split(separator: "\n").filter { !$0.hasPrefix("access_token") }
            .joined(separator: "\n")
        let again = try DaemonConfiguration.parse(text: rendered, file: "d.conf", environment: environment)
        #expect(again.destinations == original.destinations)
        #expect(again.destinations.first?.filter.conditions.count == 3)
    }
}
