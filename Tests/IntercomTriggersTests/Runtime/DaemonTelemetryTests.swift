import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct DaemonTelemetryTests {
    @Test func pollCyclesTrackTheLastSuccessAndFailuresInARow() {
        let clock = InstantWallClock()
        let telemetry = DaemonTelemetry(clock: clock)
        telemetry.pollFinished(duration: .milliseconds(300), error: nil)
        let success = clock.now()
        clock.advance(by: 60)
        telemetry.pollFinished(duration: .seconds(2), error: IntercomError.unauthorized("bad token"))
        telemetry.pollFinished(duration: .seconds(1), error: IntercomError.unauthorized("bad token"))
        var snapshot = telemetry.snapshot
        #expect(snapshot.lastSuccessfulPoll == success)
        #expect(snapshot.consecutivePollFailures == 2)
        #expect(snapshot.pollCycles == 3)
        #expect(snapshot.lastPollError?.contains("bad token") == true)
        telemetry.pollFinished(duration: .seconds(1), error: nil)
        snapshot = telemetry.snapshot
        #expect(snapshot.consecutivePollFailures == 0)
        #expect(snapshot.lastPollError == nil)
        #expect(snapshot.lastSuccessfulPoll == clock.now())
    }

    @Test func countsEventsDeliveriesRequestsAndWaits() {
        let telemetry = DaemonTelemetry(clock: InstantWallClock())
        telemetry.eventsQueued(topic: "contact.user.created", count: 3)
        telemetry.eventsQueued(topic: "contact.user.created", count: 0)
        telemetry.eventsQueued(topic: "contact.lead.created", count: 2)
        telemetry.deliveries(destination: "crm", outcome: .delivered, count: 4)
        telemetry.deliveries(destination: "crm", outcome: .deadLetter)
        telemetry.deliveries(destination: "ops", outcome: .delivered)
        telemetry.intercomResponse(status: 200)
        telemetry.intercomResponse(status: 200)
        telemetry.intercomResponse(status: nil)
        telemetry.rateLimitWaited(.milliseconds(1_500))
        telemetry.rateLimitWaited(.milliseconds(500))
        let snapshot = telemetry.snapshot
        #expect(snapshot.eventsByTopic == ["contact.user.created": 3, "contact.lead.created": 2])
        #expect(snapshot.eventsQueued == 5)
        #expect(snapshot.deliveries(.delivered) == 5)
        #expect(snapshot.deliveries(.deadLetter) == 1)
        #expect(snapshot.deliveries["crm"] == ["delivered": 4, "dead_letter": 1])
        #expect(snapshot.intercomRequests == ["200": 2, "error": 1])
        #expect(snapshot.rateLimitWaits == 2)
        #expect(snapshot.rateLimitWaited == .seconds(2))
    }

    @Test func aLoopIsStalledOnlyWhileWorkingWithoutProgress() {
        let clock = InstantWallClock()
        let telemetry = DaemonTelemetry(clock: clock)
        telemetry.progress("poller")
        telemetry.progress("lane crm")
        telemetry.waiting("lane crm")
        clock.advance(by: 100)
        #expect(telemetry.snapshot.stalledLoops(at: clock.now(), limit: .seconds(90)) == ["poller"])
        #expect(telemetry.snapshot.stalledLoops(at: clock.now(), limit: .seconds(100)) == [])
        telemetry.progress("poller")
        #expect(telemetry.snapshot.stalledLoops(at: clock.now(), limit: .seconds(90)) == [])
        clock.advance(by: 100)
        telemetry.finished("poller")
        #expect(telemetry.snapshot.stalledLoops(at: clock.now(), limit: .seconds(90)) == [])
        #expect(telemetry.snapshot.loops == ["lane crm": .waiting])
    }
}
