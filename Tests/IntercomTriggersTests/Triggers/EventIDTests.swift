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

    /// Computed independently (Python hashlib): ids must never change between releases, receivers dedupe on them.
    @Test func goldenValue() {
        #expect(
            EventID.make(
                workspace: "ws1", topic: "contact.user.created", itemID: "6762f0d01bb69f9f2193bb7d",
                version: 1_734_537_424)
                == "notif_30bc4757-8aac-5ff1-b15d-11e49f9cc517")
    }

    @Test func separatorsKeepFieldsApart() {
        #expect(
            EventID.make(workspace: "a", topic: "b", itemID: "c1", version: 2)
                != EventID.make(workspace: "a", topic: "b", itemID: "c", version: 12))
    }
}
