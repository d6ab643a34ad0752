import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// A real daemon with `[metrics] listen` set, against the simulator, scraped over HTTP.
@Suite struct MetricsEndpointTests {
    typealias Name = DaemonTelemetry.Name
    static let hook = ["destination": MetricsDaemonHarness.destination]
    /// The one workspace of the single-workspace form, as the per-workspace metrics label it.
    static let workspace = ["workspace": DaemonConfiguration.Workspace.defaultName]

    @Test func metricsShowWhatThePollerAndTheLaneDid() async throws {
        // The receiver holds every delivery until released, so the queue is seen full, then empty.
        try await MetricsDaemonHarness.run(users: 3, reply: .hang) { h in
            try await eventually("three deliveries in flight") { h.receiver.inFlight == 3 }
            let response = try await h.get("/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let held = Exposition(String(decoding: response.body, as: UTF8.self))
            #expect(held.value(Name.queueDepth, Self.hook) == 3)
            #expect(held.value(DaemonMetrics.Name.oldestPendingAge, Self.hook) == 0)  // detected at "now"
            #expect(held.value(Name.deliveries, Self.hook.merging(["outcome": "delivered"]) { $1 }) == 0)

            h.receiver.releaseHanging()
            try await eventually("three deliveries") {
                h.daemon.telemetry.snapshot.deliveries(.delivered) == 3
            }
            let metrics = try await h.scrape()
            #expect(metrics.value(Name.events, ["topic": "contact.user.created", "workspace": "default"]) == 3)
            #expect(metrics.value(Name.deliveries, Self.hook.merging(["outcome": "delivered"]) { $1 }) == 3)
            #expect(metrics.value(Name.deliveries, Self.hook.merging(["outcome": "failed"]) { $1 }) == 0)
            #expect(metrics.value(Name.queueDepth, Self.hook) == 0)
            #expect(metrics.value(DaemonMetrics.Name.deadLetters, Self.hook) == 0)
            #expect(metrics.value(DaemonMetrics.Name.destinationDisabled, Self.hook) == 0)
            #expect((metrics.value(Name.intercomRequests, ["status": "200", "workspace": "default"]) ?? 0) > 0)
            #expect(metrics.all(Name.intercomRequests).allSatisfy { $0.labels["status"] == "200" })
            #expect(metrics.value(Name.pollFailures, Self.workspace) == 0)
            #expect(metrics.value(Name.rateLimitWaits, Self.workspace) == 0)
            #expect(metrics.value(Name.pollDuration + "_count") == 1)
            #expect(metrics.types[Name.pollDuration] == "histogram")
            #expect(metrics.types[Name.events] == "counter")
            #expect(metrics.types[Name.queueDepth] == "gauge")
            #expect(metrics.value(Name.lastSuccessfulPoll, Self.workspace) == Double(MetricsDaemonHarness.t0 + 20))
            #expect(metrics.value(DaemonMetrics.Name.healthy) == 1)

            let health = try await h.health()
            #expect(health.status == 200)
            #expect(health.body == "ok\n")
            #expect(try await h.get("/nothing").status == 404)
        }
    }

    @Test func aRejectedTokenMakesHealthz503OnceThePollIsOverdue() async throws {
        try await MetricsDaemonHarness.run(users: 1, token: "wrong-token") { h in
            try await eventually("a failed poll") { h.daemon.telemetry.snapshot.pollCycles >= 1 }
            let early = try await h.health()
            #expect(early.status == 200, "one failure within the deadline is not yet unhealthy: \(early.body)")

            // Past max(3 × 120 s, 120 s + 5 min) = 7 min without a successful poll, which wakes the poller for a
            // second try. It writes its failure to the store before it sleeps, and a sleep armed after the clock
            // moved would end only after the next move: move it whenever the poller waits, until that try ran.
            try await eventually("the second failed poll") {
                let snapshot = h.daemon.telemetry.snapshot
                if snapshot.pollCycles >= 2 { return true }
                if snapshot.loops[PollerService.loopName] == .waiting { h.clock.advance(by: 7 * 60 + 1) }
                return false
            }
            // On a loaded machine a third cycle may be under way, and a cycle at work is not overdue until it ends.
            try await eventually("healthz turns 503") { try await h.health().status == 503 }
            let health = try await h.health()
            #expect(health.status == 503)
            #expect(health.body.contains("polling overdue: no successful poll since the start"))
            #expect(health.body.contains("Intercom rejected the access token (401)"))
            #expect(!health.body.contains("wrong-token"))

            let metrics = try await h.scrape()
            #expect((metrics.value(Name.intercomRequests, ["status": "401", "workspace": "default"]) ?? 0) >= 1)
            #expect((metrics.value(Name.pollFailures, Self.workspace) ?? 0) >= 1)
            #expect(metrics.value(Name.lastSuccessfulPoll, Self.workspace) == nil)
            #expect(metrics.value(Name.events, ["topic": "contact.user.created", "workspace": "default"]) == 0)
            #expect(metrics.value(DaemonMetrics.Name.healthy) == 0)
        }
    }

    @Test func aDisabledDestinationMakesHealthz503() async throws {
        try await MetricsDaemonHarness.run(users: 1, reply: .status(410)) { h in
            try await eventually("the destination disabled") {
                h.daemon.telemetry.snapshot.deliveries(.disabled) >= 1
            }
            let health = try await h.health()
            #expect(health.status == 503)
            #expect(health.body.hasPrefix("destination hook disabled: "), "\(health.body)")
            let metrics = try await h.scrape()
            #expect(metrics.value(DaemonMetrics.Name.destinationDisabled, Self.hook) == 1)
            #expect(metrics.value(Name.deliveries, Self.hook.merging(["outcome": "disabled"]) { $1 }) == 1)
            #expect(metrics.value(Name.queueDepth, Self.hook) == 1)
            #expect(metrics.value(DaemonMetrics.Name.healthy) == 0)
        }
    }
}
