import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// A reset re-delivers what was detected at or after its target under the same event ids, and nothing under
/// an id never delivered before: a re-read version is classified with what the classifier remembered when it
/// first saw that version (roles, former leads), not with what it knows now.
@Suite struct ExactResetTests {
    static let t0 = PassCorrectnessTests.base + 43_200

    /// Event ids in the store, oldest first.
    func ids(_ h: TriggerHarness) async throws -> [String] {
        try await h.store.events(afterSeq: 0, topic: nil, since: nil, limit: 1_000).map(\.id)
    }

    /// Ids queued (new, or again) by one poll after a reset to `target`.
    func redetected(_ h: TriggerHarness, resetTo target: Int, at time: Int) async throws -> [String] {
        _ = try await h.drain()
        try await h.store.requestReset(topic: nil, to: target)
        try await h.store.applyPendingResets()
        h.advance(to: time)
        try await h.poll()
        return try await h.store.dueOutbox(destination: TriggerHarness.destination, now: .max, limit: 1_000)
            .map(\.event.id)
    }

    @Test(arguments: [
        // (reset target after t0, whether the lead is updated again after signing up)
        (5, false), (5, true), (40, false), (40, true), (60, true),
    ])
    func aResetRedeliversTheSameIdsAndNoNewOnes(target: Int, updatedAfterSigningUp: Bool) async throws {
        let t0 = Self.t0
        try await TriggerHarness.run(at: t0) { h in
            h.advance(to: t0 + 10)
            let lead = try h.workspace.createContact(role: "lead", email: "lead@example.com")
            let user = try h.workspace.createContact(role: "user", email: "user@example.com")
            h.advance(to: t0 + 20)
            try await h.poll()
            h.advance(to: t0 + 50)
            try h.workspace.touchContact(id: lead.id, role: "user")  // signs up
            h.advance(to: t0 + 55)
            try await h.poll()
            if updatedAfterSigningUp {
                h.advance(to: t0 + 70)
                try h.workspace.touchContact(id: lead.id)
                try h.workspace.touchContact(id: user.id)
                h.advance(to: t0 + 75)
                try await h.poll()
            }
            let before = try await ids(h)
            let again = try await redetected(h, resetTo: t0 + target, at: t0 + 90)

            // Everything detected at or after the target whose version is still what Intercom shows comes back.
            #expect(!again.isEmpty)
            #expect(Set(again).isSubset(of: Set(before)), "new ids after a reset: \(Set(again).subtracting(before))")
            #expect(try await ids(h) == before)
            let signedUp = try #require(
                try await h.store.events(afterSeq: 0, topic: "contact.lead.signed_up", since: nil, limit: 10).first)
            // The sign-up is re-delivered exactly when its version is the lead's current one and within the reset.
            #expect(again.contains(signedUp.id) == (!updatedAfterSigningUp && target <= 50))
        }
    }
}

@Suite struct FutureTargetTests {
    @Test(arguments: [
        (StartPoint.at(1_000 + 1), true), (.at(1_000), false), (.at(.max), true), (.now, false), (.beginning, false),
        (.ago(.seconds(60)), false),
    ])
    func aTargetLaterThanNowIsRefusedWithTheReason(point: StartPoint, refused: Bool) {
        let refusal = point.futureRefusal(now: 1_000)
        #expect((refusal != nil) == refused)
        #expect(refusal?.contains("later than now") ?? true)
    }
}

@Suite struct HugeDurationTests {
    @Test func aDurationTooLongForMillisecondsIsWrittenInSeconds() {
        #expect(ConfigDuration.format(.seconds(Int64.max)) == "9223372036854775807s")
        #expect(ConfigDuration.format(.seconds(86_400 * 3)) == "3d")
    }
}
