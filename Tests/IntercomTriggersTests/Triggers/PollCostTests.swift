import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// What a poll costs in requests (docs/polling.md): one per resource when nothing changed within the
/// lookback, however much changed earlier the same day; only the recent changes otherwise.
@Suite struct PollCostTests {
    func searches(_ h: TriggerHarness) -> (contacts: Int, conversations: Int) {
        (
            h.server.requestCount(method: "POST", pathTemplate: "/contacts/search"),
            h.server.requestCount(method: "POST", pathTemplate: "/conversations/search")
        )
    }

    @Test(arguments: [false, true])
    func idlePollsCostOneRequestPerResource(exactSecondDates: Bool) async throws {
        // Local noon in Los Angeles: 10,000 contacts were updated earlier today.
        let t0 = PassCorrectnessTests.base + 20 * 3_600
        try await TriggerHarness.run(at: t0, exactSecondDates: exactSecondDates) { h in
            let earlier = try (0..<10_000).map { index in
                let time = t0 - 7_200 + index % 3_600
                return try h.workspace.createContact(
                    role: index % 3 == 0 ? "lead" : "user", email: "earlier-\(index)@example.com", createdAt: time,
                    updatedAt: time)
            }
            let someone = try h.workspace.createContact(
                role: "user", email: "talker@example.com", createdAt: t0 - 9_000)
            try h.workspace.createConversation(contactID: someone.id, body: "Earlier today", createdAt: t0 - 3_000)
            for cycle in 1...3 {
                h.server.resetRequestStatistics()
                h.advance(by: 120)
                try await h.poll()
                let cost = searches(h)
                #expect(cost.contacts == 1, "idle cycle \(cycle)")
                #expect(cost.conversations == 1, "idle cycle \(cycle)")
            }
            await #expect(try h.fired().isEmpty)

            // 300 updates within the lookback: the poll re-reads those (and one page boundary), not the day.
            h.advance(by: 10)
            let touched = earlier.prefix(300)
            for contact in touched { try h.workspace.touchContact(id: contact.id) }
            h.advance(by: 20)
            h.server.resetRequestStatistics()
            let reports = try await h.poll()
            let contacts = try #require(reports.first { $0.resource == .contacts })
            #expect(searches(h).contacts <= 3)
            #expect(contacts.items == 300)
            // Each touched contact fires its update once: users contact.user.updated, leads contact.lead.updated
            // (the harness enables the whole catalog).
            await #expect(try h.fired().count == touched.count)

            // Still inside the lookback: the same 300 are re-read, nothing fires again.
            h.advance(by: 120)
            h.server.resetRequestStatistics()
            try await h.poll()
            #expect(searches(h).contacts <= 3)
            let fired = try await h.fired().count
            // The lookback counts from the last pass's start: after a 600 s gap the poll still re-reads them
            // (they might have been indexed after that pass); once a pass started past the lookback, one request.
            h.advance(by: 600)
            h.server.resetRequestStatistics()
            try await h.poll()
            #expect(searches(h).contacts <= 3)
            h.advance(by: 120)
            h.server.resetRequestStatistics()
            try await h.poll()
            #expect(searches(h).contacts == 1)
            await #expect(try h.fired().count == fired)
        }
    }
}
