import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// The library path of `replay`, `dead-letters` and `enable`.
@Suite struct DeliveryAdminTests {
    /// Seeds three events for `hook` an hour apart and makes them dead letters (500, 500, a timeout).
    static func seedDead(_ fixture: DeliveryFixture) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        for index in 0..<3 {
            await events += try fixture.seed(1, to: ["hook"], first: index)
            fixture.clock.advance(by: 3_600)
        }
        for (index, event) in events.enumerated() {
            try await fixture.store.markFailed(
                destination: "hook", seq: event.seq, attempt: 8, status: index == 2 ? nil : 500,
                error: index == 2 ? "timed out after 15 seconds" : "HTTP 500", nextAttemptAt: nil,
                at: fixture.clock.seconds)
        }
        return events
    }

    enum Variant: String, CaseIterable, Sendable { case allFailed, since, event, deliveredEvent, unknownEvent }

    @Test(arguments: Variant.allCases)
    func replayQueuesTheSelectedDeliveriesAgain(_ variant: Variant) async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await Self.seedDead(fixture)
            let delivered = try await fixture.seed(1, to: ["hook"], first: 10)
            try await fixture.store.markDelivered(
                destination: "hook", seqs: delivered.map(\.seq), at: fixture.clock.seconds)
            let selection: DeliveryAdmin.ReplaySelection
            let expected: [String]
            switch variant {
            case .allFailed:
                (selection, expected) = (.allFailed, events.map(\.id))
            case .since:
                (selection, expected) = (.since(events[1].detectedAt), [events[1].id, events[2].id])
            case .event:
                (selection, expected) = (.event(events[0].id), [events[0].id])
            case .deliveredEvent:
                (selection, expected) = (.event(delivered[0].id), [delivered[0].id])
            case .unknownEvent:
                (selection, expected) = (.event("nope"), [])
            }
            let count = try await DeliveryAdmin.replay(store: fixture.store, destination: "hook", selection: selection)
            #expect(count == expected.count)
            let pending = try await fixture.pending("hook")
            #expect(pending.map(\.event.id) == expected)
            #expect(pending.allSatisfy { $0.attempts == 0 && $0.nextAttemptAt <= fixture.clock.seconds })
            let stillDead = try await fixture.store.deadLetters(destination: "hook").map(\.eventID)
            #expect(Set(stillDead) == Set(events.map(\.id)).subtracting(expected))
        }
    }

    @Test func replayedDeliveriesAreSentAgain() async throws {
        try await DeliveryFixture.with { fixture in
            try await WebhookReceiver.withRunning(now: { fixture.clock.seconds }) { receiver in
                let events = try await Self.seedDead(fixture)
                await #expect(
                    try DeliveryAdmin.replay(store: fixture.store, destination: "hook", selection: .allFailed) == 3)
                let lane = fixture.lane("hook", sink: WebhookLaneTests.sink(receiver), dispatch: .ordered)
                try await fixture.running([lane]) {
                    try await eventually("delivered") { try await fixture.deliveredCount("hook", of: 3) == 3 }
                }
                #expect(receiver.requests.map(\.eventID) == events.map(\.id))
                #expect(receiver.problems.isEmpty)
            }
        }
    }

    @Test func deadLettersAreListedAsTextAndJSON() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await Self.seedDead(fixture)
            let letters = try await fixture.store.deadLetters(destination: nil)
            let lines = DeliveryAdmin.text(letters).split(separator: "\n")
            #expect(lines.count == 4)
            #expect(lines[0].hasPrefix("DESTINATION"))
            #expect(
                lines[1].contains(events[0].id) && lines[1].contains(DeliveryFixture.topic)
                    && lines[1].hasSuffix("HTTP 500"))
            #expect(lines[3].hasSuffix("timed out after 15 seconds"))
            #expect(DeliveryAdmin.text([]) == "no dead letters")

            let json = try #require(
                try JSONSerialization.jsonObject(with: DeliveryAdmin.json(letters)) as? [[String: Any]])
            #expect(json.map { $0["event_id"] as? String } == events.map(\.id))
            #expect(json.map { $0["attempts"] as? Int } == [8, 8, 8])
            #expect(json[0]["last_status"] as? Int == 500)
            #expect(json[2]["last_status"] is NSNull)
        }
    }

    @Test func aDestinationMustBeConfiguredOrKnownToTheStore() async throws {
        try await DeliveryFixture.with { fixture in
            _ = try await Self.seedDead(fixture)
            try await DeliveryAdmin.checkDestination("crm", configured: ["crm", "console"], store: fixture.store)
            // Removed from the configuration, its rows still in the store: still addressable.
            try await DeliveryAdmin.checkDestination("hook", configured: ["crm"], store: fixture.store)
            await #expect(throws: DeliveryAdmin.UnknownDestination(name: "hok", known: ["crm", "hook"])) {
                try await DeliveryAdmin.checkDestination("hok", configured: ["crm"], store: fixture.store)
            }
            #expect(
                DeliveryAdmin.UnknownDestination(name: "hok", known: ["crm", "hook"]).description
                    == "no destination named \"hok\": known destinations: crm, hook")
        }
    }
}
