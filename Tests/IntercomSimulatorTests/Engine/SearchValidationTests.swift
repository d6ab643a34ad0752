import Testing

@testable import IntercomSimulator

/// Operator, type, nesting and sort validation, each answered with Intercom's error envelope.
@Suite struct SearchValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var resource: String
        var body: String
        var status: Int
        var code: String?
        var testDescription: String { name }
    }

    static func filters(_ count: Int) -> String {
        (0..<count).map { #"{"field":"name","operator":"=","value":"n\#($0)"}"# }.joined(separator: ",")
    }

    static func filter(_ field: String, _ op: String, _ value: String) -> String {
        #"{"query":{"field":"\#(field)","operator":"\#(op)","value":\#(value)}}"#
    }

    static let cases: [Case] = [
        // Dates on contacts take = < > only (2.16).
        Case(
            name: "contact date >=", resource: "contacts", body: filter("created_at", ">=", "1"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "contact date <=", resource: "contacts", body: filter("updated_at", "<=", "1"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "contact date !=", resource: "contacts", body: filter("created_at", "!=", "1"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "contact date IN", resource: "contacts", body: filter("created_at", "IN", "[1,2]"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "contact date NIN", resource: "contacts", body: filter("last_seen_at", "NIN", "[1]"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "contact date =", resource: "contacts", body: filter("created_at", "=", "1"), status: 200, code: nil),
        Case(
            name: "contact date > as string", resource: "contacts", body: filter("created_at", ">", #""1306054154""#),
            status: 200, code: nil),
        Case(
            name: "date given a word", resource: "contacts", body: filter("created_at", ">", #""foobar""#), status: 400,
            code: "type_mismatch"),
        Case(
            name: "string with >", resource: "contacts", body: filter("email", ">", #""a""#), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "string contains", resource: "contacts", body: filter("email", "~", #""example""#), status: 200,
            code: nil),
        Case(
            name: "string starts/ends", resource: "contacts", body: filter("name", "$", #""son""#), status: 200,
            code: nil),
        Case(
            name: "string given a number", resource: "contacts", body: filter("email", "=", "5"), status: 400,
            code: "type_mismatch"),
        Case(
            name: "string IN", resource: "contacts", body: filter("role", "IN", #"["user","lead"]"#), status: 200,
            code: nil),
        Case(
            name: "IN without an array", resource: "contacts", body: filter("role", "IN", #""user""#), status: 400,
            code: "type_mismatch"),
        Case(
            name: "tag_id IN", resource: "contacts", body: filter("tag_id", "IN", #"["1"]"#), status: 400,
            code: "parameter_invalid"),
        Case(name: "tag_id =", resource: "contacts", body: filter("tag_id", "=", #""1""#), status: 200, code: nil),
        Case(
            name: "boolean contains", resource: "contacts", body: filter("has_hard_bounced", "~", "true"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "boolean given a string", resource: "contacts", body: filter("has_hard_bounced", "=", #""maybe""#),
            status: 400, code: "type_mismatch"),
        Case(
            name: "boolean =", resource: "contacts", body: filter("unsubscribed_from_emails", "=", "false"),
            status: 200, code: nil),
        Case(
            name: "unknown field", resource: "contacts", body: filter("shoe_size", "=", "1"), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "unknown operator", resource: "contacts", body: filter("email", "LIKE", #""a""#), status: 400,
            code: "parameter_invalid"),
        Case(
            name: "custom attribute", resource: "contacts", body: filter("custom_attributes.plan", "=", #""Pro""#),
            status: 200, code: nil),
        Case(
            name: "no query", resource: "contacts", body: #"{"pagination":{"per_page":5}}"#, status: 400,
            code: "parameter_not_found"),
        Case(name: "not JSON", resource: "contacts", body: #"{"query":"#, status: 400, code: "parameter_invalid"),
        Case(
            name: "sort desc", resource: "contacts",
            body:
                #"{"query":{"field":"role","operator":"=","value":"user"},"sort":{"field":"created_at","order":"desc"}}"#,
            status: 400, code: "invalid_sort_order"),
        Case(
            name: "sort asc on conversations", resource: "conversations",
            body:
                #"{"query":{"field":"open","operator":"=","value":true},"sort":{"field":"updated_at","order":"asc"}}"#,
            status: 400, code: "invalid_sort_order"),
        Case(
            name: "15 filters", resource: "contacts", body: #"{"query":{"operator":"OR","value":[\#(filters(15))]}}"#,
            status: 200, code: nil),
        Case(
            name: "16 filters", resource: "contacts", body: #"{"query":{"operator":"OR","value":[\#(filters(16))]}}"#,
            status: 400, code: "bad_request"),
        Case(
            name: "2 levels", resource: "contacts",
            body: #"{"query":{"operator":"AND","value":[{"operator":"OR","value":[\#(filters(2))]},\#(filters(1))]}}"#,
            status: 200, code: nil),
        Case(
            name: "3 levels", resource: "contacts",
            body:
                #"{"query":{"operator":"AND","value":[{"operator":"OR","value":[{"operator":"AND","value":[\#(filters(2))]}]}]}}"#,
            status: 400, code: "bad_request"),
        Case(
            name: "bad cursor", resource: "contacts",
            body:
                #"{"query":{"field":"role","operator":"=","value":"user"},"pagination":{"starting_after":"bm9wZQ=="}}"#,
            status: 400, code: "client_error"),
        // Conversations: dates are exact and take every comparison.
        Case(
            name: "conversation date >=", resource: "conversations", body: filter("created_at", ">=", "1"), status: 200,
            code: nil),
        Case(
            name: "conversation date !=", resource: "conversations", body: filter("updated_at", "!=", "1"), status: 200,
            code: nil),
        Case(
            name: "conversation date IN", resource: "conversations", body: filter("created_at", "IN", "[1,2]"),
            status: 200, code: nil),
        Case(
            name: "conversation integer <", resource: "conversations", body: filter("admin_assignee_id", "<", "5"),
            status: 200, code: nil),
        Case(
            name: "conversation integer ~", resource: "conversations", body: filter("admin_assignee_id", "~", "5"),
            status: 400, code: "parameter_invalid"),
        Case(
            name: "conversation author type", resource: "conversations",
            body: filter("source.author.type", "IN", #"["user","lead"]"#), status: 200, code: nil),
        Case(
            name: "conversation contact field", resource: "conversations", body: filter("email", "=", #""a""#),
            status: 400, code: "parameter_invalid"),
        Case(
            name: "conversation string >", resource: "conversations", body: filter("state", ">", #""open""#),
            status: 400, code: "parameter_invalid"),
    ]

    @Test(arguments: cases)
    func validation(_ testCase: Case) {
        let harness = EngineHarness()
        let answer = harness.call("POST", "/\(testCase.resource)/search", body: testCase.body)
        #expect(answer.status == testCase.status)
        if let code = testCase.code {
            let details = errorDetails(answer.json)
            #expect(details.code == code)
            #expect(details.message?.isEmpty == false)
        } else {
            #expect(
                answer.json["type"]?.stringValue == (testCase.resource == "contacts" ? "list" : "conversation.list"))
        }
    }

    @Test func invalidSortOrderHasIntercomsMessage() {
        let harness = EngineHarness()
        let answer = harness.call(
            "POST", "/contacts/search",
            body:
                #"{"query":{"field":"role","operator":"=","value":"user"},"sort":{"field":"created_at","order":"desc"}}"#
        )
        #expect(errorDetails(answer.json).message == "Invalid sort order 'desc'. Must be one of: ascending, descending")
    }
}

/// What the operators match, on a small fixed population.
@Suite struct SearchOperatorTests {
    static func population() throws -> (EngineHarness, [String: String]) {
        let harness = EngineHarness(exactSecond: true)
        var ids: [String: String] = [:]
        ids["ann"] = try harness.workspace.createContact(
            email: "ann.smith@example.com", name: "Ann Smith", customAttributes: ["plan": "Pro"], createdAt: 100
        ).id
        ids["bob"] = try harness.workspace.createContact(
            role: "lead", email: "bob@sample.org", name: "Bob Jones", createdAt: 200
        ).id
        ids["cy"] = try harness.workspace.createContact(
            externalID: "cy-1", name: "Cy Smithers", customAttributes: ["plan": "Starter"], createdAt: 300
        ).id
        return (harness, ids)
    }

    static let cases: [(String, [String])] = [
        (#"{"field":"name","operator":"~","value":"smith"}"#, ["ann", "cy"]),
        (#"{"field":"name","operator":"!~","value":"smith"}"#, ["bob"]),
        (#"{"field":"name","operator":"^","value":"bob"}"#, ["bob"]),
        (#"{"field":"email","operator":"$","value":".org"}"#, ["bob"]),
        (#"{"field":"email","operator":"=","value":null}"#, ["cy"]),
        (#"{"field":"email","operator":"!=","value":null}"#, ["ann", "bob"]),
        (#"{"field":"role","operator":"NIN","value":["lead"]}"#, ["ann", "cy"]),
        (#"{"field":"role","operator":"!=","value":"user"}"#, ["bob"]),
        (#"{"field":"custom_attributes.plan","operator":"=","value":"Pro"}"#, ["ann"]),
        (#"{"field":"external_id","operator":"IN","value":["cy-1","zz"]}"#, ["cy"]),
        (#"{"field":"created_at","operator":"<=","value":200}"#, ["ann", "bob"]),
        (
            #"{"operator":"OR","value":[{"field":"role","operator":"=","value":"lead"},{"operator":"AND","value":[{"field":"name","operator":"~","value":"smith"},{"field":"created_at","operator":">","value":150}]}]}"#,
            ["bob", "cy"]
        ),
    ]

    @Test(arguments: cases)
    func operatorMatches(query: String, expected: [String]) throws {
        let (harness, ids) = try Self.population()
        let answer = harness.search("contacts", query)
        #expect(answer.status == 200)
        #expect(Set(EngineHarness.ids(answer.json)) == Set(expected.compactMap { ids[$0] }))
    }

    @Test func sourceBodyMatchesWholeWords() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "a@example.com")
        let conversation = try harness.workspace.createConversation(contactID: contact.id, body: "I need support")
        func find(_ word: String) -> [String] {
            EngineHarness.ids(
                harness.search("conversations", #"{"field":"source.body","operator":"=","value":"\#(word)"}"#).json)
        }
        #expect(find("support") == [conversation.id])
        #expect(find("need support").isEmpty)
        #expect(find("supp").isEmpty)
    }
}
