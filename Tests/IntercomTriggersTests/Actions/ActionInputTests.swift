import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// Bad input is refused before any request: one stderr line and exit 64.
@Suite struct ActionInputTests {
    struct BadInput: Sendable, CustomStringConvertible {
        var description: String
        var build: @Sendable () throws(ActionUsageError) -> any ApiAction
    }

    static let cases: [BadInput] = [
        BadInput(description: "malformed custom attributes") { () throws(ActionUsageError) in
            try ContactActions.create(ContactFields(email: "a@example.com", customAttributes: #"{"plan": "pro""#))
        },
        BadInput(description: "custom attributes not an object") { () throws(ActionUsageError) in
            try ContactActions.create(ContactFields(email: "a@example.com", customAttributes: "[1]"))
        },
        BadInput(description: "role admin") { () throws(ActionUsageError) in
            try ContactActions.create(ContactFields(role: "admin", email: "a@example.com"))
        },
        BadInput(description: "role on update") { () throws(ActionUsageError) in
            try ContactActions.update(id: "abc", ContactFields(role: "visitor"))
        },
        BadInput(description: "per page over 150") { () throws(ActionUsageError) in
            ContactActions.list(try ListPaging(perPage: 151))
        },
        BadInput(description: "per page zero") { () throws(ActionUsageError) in
            PersonActions.listLeads(try ListPaging(perPage: 0, all: true))
        },
        BadInput(description: "companies per page over 150") { () throws(ActionUsageError) in
            try CompanyActions.list(perPage: 200, all: true)
        },
        BadInput(description: "missing contact id") { () throws(ActionUsageError) in
            try ContactActions.get(id: nil)
        },
        BadInput(description: "missing search query") { () throws(ActionUsageError) in
            try ContactActions.search(query: nil, try ListPaging())
        },
        BadInput(description: "malformed search query") { () throws(ActionUsageError) in
            try ConversationActions.search(query: #"{"field":"state","operator":"=""#, try ListPaging())
        },
        BadInput(description: "bad sort order") { () throws(ActionUsageError) in
            try ContactActions.search(
                query: #"{"field":"role","operator":"=","value":"lead"}"#, sortField: "created_at",
                sortOrder: "up", try ListPaging())
        },
        BadInput(description: "missing company id") { () throws(ActionUsageError) in
            try CompanyActions.upsert(CompanyFields(name: "Acme"))
        },
        BadInput(description: "missing user email") { () throws(ActionUsageError) in
            try PersonActions.upsertUser(email: nil, name: "Ada")
        },
        BadInput(description: "missing lead email") { () throws(ActionUsageError) in
            try PersonActions.createLead(email: "  ")
        },
        BadInput(description: "email message without subject") { () throws(ActionUsageError) in
            try MessageActions.create(type: "email", body: "Hi", fromAdmin: "1", toContact: "c1")
        },
        BadInput(description: "message type sms") { () throws(ActionUsageError) in
            try MessageActions.create(type: "sms", body: "Hi", fromAdmin: "1", toContact: "c1")
        },
        BadInput(description: "message without body") { () throws(ActionUsageError) in
            try MessageActions.create(type: "inapp", body: nil, fromAdmin: "1", toContact: "c1")
        },
        BadInput(description: "reply type") { () throws(ActionUsageError) in
            try ConversationActions.reply(id: "1", type: "quick_reply", body: "Hi")
        },
        BadInput(description: "reply without body") { () throws(ActionUsageError) in
            try ConversationActions.reply(id: "1", type: "note", body: nil)
        },
        BadInput(description: "conversation order") { () throws(ActionUsageError) in
            try ConversationActions.list(sort: "updated_at", order: "sideways", try ListPaging())
        },
        BadInput(description: "ticket contacts not an array") { () throws(ActionUsageError) in
            try TicketActions.create(ticketTypeID: "1", contacts: #"{"id":"x"}"#, attributes: "{}")
        },
        BadInput(description: "ticket without attributes") { () throws(ActionUsageError) in
            try TicketActions.create(ticketTypeID: "1", contacts: #"[{"id":"x"}]"#, attributes: nil)
        },
    ]

    @Test(arguments: cases)
    func refusedBeforeAnyRequest(_ input: BadInput) async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let result = await ActionHarness(server: server).run(input.build)
            #expect(result.code == 64)
            #expect(result.lines.isEmpty)
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.hasPrefix("intercom-triggerd: ") == true)
            #expect(server.totalRequestCount == 0)
        }
    }

    @Test func jsonFlagIsSentAsGiven() throws {
        let body = try ContactFields(
            email: "a@example.com", signedUpAt: 5, ownerID: "12", unsubscribedFromEmails: true,
            customAttributes: #" {"plan": "pro"} "#
        ).body(defaultRole: "lead")
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"role":"lead","email":"a@example.com","signed_up_at":5,"owner_id":12,"unsubscribed_from_emails":true,"custom_attributes":{"plan": "pro"}}"#
        )
    }

    @Test func monthlySpendIsTruncated() throws {
        let body = try CompanyFields(companyID: "acme", monthlySpend: 99.99).body()
        #expect(String(decoding: body, as: UTF8.self) == #"{"company_id":"acme","monthly_spend":99}"#)
    }

    @Test func layoutKeepsKeyOrderAndNumbers() {
        let json = Data(#"{"b": 1.50, "a":[ ], "c":{"d":"x, \"y\": {z}"}}"#.utf8)
        #expect(
            String(decoding: JSONLayout.compact(json), as: UTF8.self) == #"{"b":1.50,"a":[],"c":{"d":"x, \"y\": {z}"}}"#
        )
        #expect(
            String(decoding: JSONLayout.pretty(json), as: UTF8.self)
                == "{\n  \"b\": 1.50,\n  \"a\": [],\n  \"c\": {\n    \"d\": \"x, \\\"y\\\": {z}\"\n  }\n}")
    }
}
