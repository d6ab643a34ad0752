import Foundation
import Testing

@testable import IntercomSimulator

/// Changing any attribute of a contact (the API's `PUT /contacts/{id}`, the `/__sim/` control endpoints, the Swift
/// API) and moving only its activity attributes, as Intercom does when a contact is merely seen.
@Suite struct ContactAttributeTests {
    /// A user created at the harness's time, then the clock moved on 60 s (so an edit's new version differs).
    func user(_ harness: EngineHarness) throws -> (id: String, before: JSONValue) {
        let contact = try harness.workspace.createContact(
            email: "ada@example.com", name: "Ada", customAttributes: ["plan": "free"])
        harness.clock.advance(by: 60)
        return (contact.id, harness.call("GET", "/contacts/\(contact.id)").json)
    }

    @Test func theControlEndpointSetsAnyAttributeAtAnyDepthAsAnEdit() throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let answer = harness.control(
            "POST", "/__sim/contacts/\(id)/attributes",
            body: #"""
                {"set":{"custom_attributes.plan":"pro","custom_attributes.billing.cycle":"annual",
                "location.city":"Berlin","email":"ada@lovelace.org","name":"Ada Lovelace","android_device":"Pixel 8",
                "tags":["t1","t2"],"x_new":{"a":1}}}
                """#)
        #expect(answer.status == 200)
        let after = harness.call("GET", "/contacts/\(id)").json
        #expect(answer.json == after)
        #expect(
            EngineHarness.changedPaths(before, after)
                == [
                    "custom_attributes.plan", "custom_attributes.billing", "location.city", "email", "email_domain",
                    "name", "android_device", "tags.data", "tags.total_count", "x_new", "updated_at",
                ])
        #expect(after["custom_attributes"]?["billing"]?["cycle"]?.stringValue == "annual")
        #expect(after["email_domain"]?.stringValue == "lovelace.org")
        #expect(after["tags"]?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["t1", "t2"])
        #expect(after["x_new"]?["a"]?.intValue == 1)
        #expect(after["updated_at"]?.intValue == harness.clock.nowSeconds())
        // Modelled attributes stay searchable under their new values.
        let found = harness.search("contacts", #"{"field":"email","operator":"=","value":"ada@lovelace.org"}"#)
        #expect(EngineHarness.ids(found.json) == [id])
    }

    @Test func nullRemovesACustomAttributeAndAnOverride() throws {
        let harness = EngineHarness()
        let (id, _) = try user(harness)
        try harness.workspace.setContactAttributes(id: id, ["android_device": "Pixel", "custom_attributes.seats": 3])
        let before = harness.call("GET", "/contacts/\(id)").json
        harness.clock.advance(by: 1)
        try harness.workspace.setContactAttributes(
            id: id, ["android_device": nil, "custom_attributes.plan": nil, "phone": "+353 1"])
        let after = harness.call("GET", "/contacts/\(id)").json
        #expect(
            EngineHarness.changedPaths(before, after)
                == ["android_device", "custom_attributes.plan", "phone", "formatted_phone", "updated_at"])
        #expect(after["android_device"] == .null)
        #expect(after["custom_attributes"]?["plan"] == nil)
        #expect(after["custom_attributes"]?["seats"]?.intValue == 3)
    }

    /// (set body, the field the refusal names): nothing changes when any value is refused.
    @Test(
        arguments: [
            (#"{"set":{"name":"Ok","email":3}}"#, "email"),
            (#"{"set":{"last_seen_at":"yesterday"}}"#, "last_seen_at"),
            (#"{"set":{"has_hard_bounced":null}}"#, "has_hard_bounced"),
            (#"{"set":{"created_at":1}}"#, "created_at"),
            (#"{"set":{"id":"x"}}"#, "id"),
            (#"{"set":{"a..b":1}}"#, "a..b"),
            (#"{"set":{"role":"lead"}}"#, "role"),
            (#"{"set":{"tags":["t",1]}}"#, "tags"),
            (#"{"set":{"location":"Paris"}}"#, "location"),
            (#"{"set":"email"}"#, "set"),
        ])
    func refusedValuesChangeNothing(body: String, field: String) throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let answer = harness.control("POST", "/__sim/contacts/\(id)/attributes", body: body)
        #expect(answer.status == 400)
        #expect(answer.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field)
        #expect(harness.call("GET", "/contacts/\(id)").json == before)
    }

    @Test func unknownContactsAreNotFound() {
        let harness = EngineHarness()
        #expect(harness.control("POST", "/__sim/contacts/nope/attributes", body: #"{"set":{}}"#).status == 404)
        #expect(harness.control("POST", "/__sim/contacts/nope/activity").status == 404)
        #expect(throws: APIError.self) { try harness.workspace.recordContactActivity(id: "nope") }
    }

    @Test func putSetsEveryFieldTheSpecAllowsAndCustomAttributes() throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        try harness.workspace.setContactAttributes(id: id, ["custom_attributes.seats": 3])
        let answer = harness.call(
            "PUT", "/contacts/\(id)",
            body: #"""
                {"email":"new@example.com","email_verified":true,"name":"New","phone":"+1 415 555 0100",
                "avatar":"https://example.com/a.png","signed_up_at":1700000000,"last_seen_at":1700000100,
                "owner_id":"991267","unsubscribed_from_emails":true,"external_id":"u-1",
                "custom_attributes":{"plan":"pro","seats":null,"beta":true}}
                """#)
        #expect(answer.status == 200)
        let after = answer.json
        #expect(after["email"]?.stringValue == "new@example.com")
        #expect(after["name"]?.stringValue == "New")
        #expect(after["phone"]?.stringValue == "+1 415 555 0100")
        #expect(after["avatar"]?["image_url"]?.stringValue == "https://example.com/a.png")
        #expect(after["signed_up_at"]?.intValue == 1_700_000_000)
        #expect(after["last_seen_at"]?.intValue == 1_700_000_100)
        #expect(after["owner_id"]?.stringValue == "991267")
        #expect(after["unsubscribed_from_emails"]?.boolValue == true)
        #expect(after["external_id"]?.stringValue == "u-1")
        #expect(after["custom_attributes"] == ["plan": "pro", "beta": true])
        #expect(after["updated_at"]?.intValue == harness.clock.nowSeconds())
        #expect(after["email_verified"] == nil)
        #expect(EngineHarness.changedPaths(before, after).contains("custom_attributes.beta"))
    }

    @Test func putRefusesEmailVerifiedWithoutAnEmail() throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let alone = harness.call("PUT", "/contacts/\(id)", body: #"{"email_verified":true,"name":"X"}"#)
        #expect(alone.status == 400)
        #expect(errorDetails(alone.json).code == "parameter_invalid")
        #expect(
            harness.call("PUT", "/contacts/\(id)", body: #"{"email_verified":"yes","email":"a@b.c"}"#).status == 400)
        #expect(harness.call("GET", "/contacts/\(id)").json == before)
    }

    @Test func activityWithoutAttributesMovesLastSeenAtAndUpdatedAtOnly() throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let answer = harness.control("POST", "/__sim/contacts/\(id)/activity")
        #expect(answer.status == 200)
        let after = harness.call("GET", "/contacts/\(id)").json
        #expect(EngineHarness.changedPaths(before, after) == ["last_seen_at", "updated_at"])
        #expect(after["last_seen_at"]?.intValue == harness.clock.nowSeconds())
        #expect(after["updated_at"]?.intValue == harness.clock.nowSeconds())
    }

    /// Every activity attribute can move on its own: then it and `updated_at` are all that changes.
    @Test(
        arguments: [
            ("last_seen_at", "1780000030"), ("android_last_seen_at", "1780000030"), ("ios_last_seen_at", "1780000030"),
            ("last_replied_at", "1780000030"), ("last_contacted_at", "1780000030"),
            ("last_email_opened_at", "1780000030"), ("last_email_clicked_at", "1780000030"),
            ("browser", #""firefox""#), ("browser_version", #""130.0""#), ("browser_language", #""de""#),
            ("os", #""Linux""#), ("android_app_name", #""App""#), ("android_app_version", #""2.1""#),
            ("android_device", #""Pixel 8""#), ("android_os_version", #""14""#), ("android_sdk_version", #""5.0""#),
            ("ios_app_name", #""App""#), ("ios_app_version", #""2.1""#), ("ios_device", #""iPhone15,2""#),
            ("ios_os_version", #""17.6""#), ("ios_sdk_version", #""16.0""#), ("location.city", #""Tokyo""#),
        ])
    func eachActivityAttributeMovesAloneWithUpdatedAt(path: String, value: String) throws {
        #expect(ContactRecord.activityAttributes.contains(String(path.prefix { $0 != "." })))
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let answer = harness.control("POST", "/__sim/contacts/\(id)/activity", body: #"{"set":{"\#(path)":\#(value)}}"#)
        #expect(answer.status == 200)
        let after = harness.call("GET", "/contacts/\(id)").json
        #expect(EngineHarness.changedPaths(before, after) == [path, "updated_at"])
    }

    @Test func activityRefusesAnEditAndChangesNothing() throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let answer = harness.control(
            "POST", "/__sim/contacts/\(id)/activity", body: #"{"set":{"browser":"edge","name":"Eve"}}"#)
        #expect(answer.status == 400)
        #expect(errorDetails(answer.json).message?.contains("name") == true)
        #expect(throws: APIError.self) {
            try harness.workspace.recordContactActivity(id: id, ["custom_attributes.plan": "pro"])
        }
        #expect(harness.call("GET", "/contacts/\(id)").json == before)
    }

    @Test func theSwiftAPIRecordsASightingFromAnotherCity() throws {
        let harness = EngineHarness()
        let (id, before) = try user(harness)
        let place = try #require(ContactAttributeValue(json: #"{"type":"location","city":"Lagos"}"#))
        let seen = try harness.workspace.recordContactActivity(
            id: id, ["last_seen_at": .int(harness.clock.nowSeconds()), "location": place])
        #expect(seen.location.city == "Lagos")
        let after = harness.call("GET", "/contacts/\(id)").json
        #expect(EngineHarness.changedPaths(before, after) == ["last_seen_at", "location.city", "updated_at"])
    }
}
