import Testing

@testable import IntercomTriggers

@Suite struct EventIDTests {
    @Test func deterministicAndDistinct() {
        let a = EventID.make(workspace: "w", topic: "contact.user.updated", itemID: "1", version: 5)
        #expect(a == EventID.make(workspace: "w", topic: "contact.user.updated", itemID: "1", version: 5))
        #expect(a != EventID.make(workspace: "w", topic: "contact.user.updated", itemID: "1", version: 6))
        #expect(a != EventID.make(workspace: "x", topic: "contact.user.updated", itemID: "1", version: 5))
        #expect(a.hasPrefix("notif_"))
        #expect(a.count == "notif_".count + 36)
    }

    @Test func separatorsKeepFieldsApart() {
        #expect(
            EventID.make(workspace: "a", topic: "b", itemID: "c1", version: 2)
                != EventID.make(workspace: "a", topic: "b", itemID: "c", version: 12))
    }
}
