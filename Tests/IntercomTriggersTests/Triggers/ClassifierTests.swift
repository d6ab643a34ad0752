import Testing

@testable import IntercomTriggers

@Suite struct ClassifierTests {
    let classifier = Classifier(topics: TopicCatalog.all)
    let open = Dictionary(uniqueKeysWithValues: TopicCatalog.all.map { ($0.name, TopicWindow(start: 0, horizon: 0)) })

    func contact(role: String, created: Int, updated: Int) -> Observation {
        Observation(resource: .contacts, id: "c1", createdAt: created, updatedAt: updated, role: role)
    }

    func fired(_ detections: [Detection]) -> [String] { detections.filter(\.fires).map(\.topic) }

    @Test func newLeadFiresLeadCreatedOnly() {
        let result = classifier.classify(
            contact(role: "lead", created: 100, updated: 100), priorRole: nil, windows: open
        ) { _, _, _ in false }
        #expect(fired(result) == ["contact.lead.created"])
    }

    @Test func userCreatedAndUpdatedBetweenPollsCoalescesIntoCreated() {
        let result = classifier.classify(
            contact(role: "user", created: 100, updated: 160), priorRole: nil, windows: open
        ) { _, _, _ in false }
        #expect(fired(result) == ["contact.user.created"])
        // The update is remembered so a later poll of the same state does not fire it.
        #expect(result.contains(Detection(topic: "contact.user.updated", itemID: "c1", version: 160, fires: false)))
    }

    @Test func knownUserUpdateFiresUpdated() {
        let result = classifier.classify(
            contact(role: "user", created: 100, updated: 160), priorRole: "user", windows: open
        ) { topic, _, version in topic == "contact.user.created" && version == 100 }
        #expect(fired(result) == ["contact.user.updated"])
    }

    @Test func leadBecomingUserSignsUpAndNeverFiresUserCreated() {
        let result = classifier.classify(
            contact(role: "user", created: 100, updated: 200), priorRole: "lead", windows: open
        ) { _, _, _ in false }
        #expect(fired(result) == ["contact.lead.signed_up"])
        #expect(!result.contains { $0.topic == "contact.user.created" })
    }

    @Test func aFormerLeadIsNeverANewUserLater() {
        let result = classifier.classify(
            contact(role: "user", created: 100, updated: 300), priorRole: "user", wasLead: true, windows: open
        ) { topic, _, version in topic == "contact.lead.signed_up" && version == 200 }
        #expect(fired(result) == ["contact.user.updated"])
    }

    @Test func createdBeforeStartNeverFiresCreatedButUpdatesDo() {
        var windows = open
        windows["contact.user.created"] = TopicWindow(start: 150, horizon: 150)
        windows["contact.user.updated"] = TopicWindow(start: 150, horizon: 150)
        let result = classifier.classify(
            contact(role: "user", created: 100, updated: 200), priorRole: nil, windows: windows
        ) { _, _, _ in false }
        #expect(fired(result) == ["contact.user.updated"])
    }

    @Test func updatedVersionsBelowTheHorizonDoNotFire() {
        var windows = open
        windows["contact.user.updated"] = TopicWindow(start: 0, horizon: 500)
        let result = classifier.classify(
            contact(role: "user", created: 100, updated: 200), priorRole: "user", windows: windows
        ) { topic, _, _ in topic == "contact.user.created" }
        #expect(result.isEmpty)
    }

    @Test(arguments: [("user", true), ("lead", true), ("contact", true), ("admin", false), ("bot", false)])
    func conversationAuthors(author: String, fires: Bool) {
        let item = Observation(resource: .conversations, id: "9", createdAt: 10, updatedAt: 10, authorType: author)
        let result = classifier.classify(item, priorRole: nil, windows: open) { _, _, _ in false }
        #expect(fired(result) == (fires ? ["conversation.user.created"] : []))
    }

    @Test func disabledTopicsNeverFire() {
        let onlyLeads = Classifier(topics: [TopicCatalog.topic(named: "contact.lead.created")!])
        let result = onlyLeads.classify(
            contact(role: "user", created: 100, updated: 100), priorRole: nil, windows: open
        ) { _, _, _ in false }
        #expect(result.isEmpty)
    }
}
