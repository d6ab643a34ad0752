import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// Webhook lanes end to end against a local receiver: retries, dead letters, 410, independence, order,
/// concurrency and shutdown. Time is a ``ManualWallClock``; only request timeouts really wait.
@Suite struct WebhookLaneTests {
    static func sink(_ receiver: WebhookReceiver, timeout: Duration = .seconds(15)) -> WebhookSink {
        WebhookSink(
            url: receiver.url, signer: WebhookSigner(secret: Secret(WebhookReceiver.secret, source: .inline(key: "s"))),
            timeout: timeout, transport: CurlTransport(), appID: { "app1" })
    }

    /// Draws 0, 0.999…, 0.5, 0, … so the jitter hits both ends of its range.
    final class CyclingRandom: Sendable {
        private let index = Mutex(0)
        let values = [0.0, 0.999_999, 0.5]
        func next() -> Double {
            index.withLock { index in
                defer { index += 1 }
                return values[index % values.count]
            }
        }
    }

    @Test func failedDeliveriesFollowTheJitteredScheduleThenBecomeADeadLetter() async throws {
        try await DeliveryFixture.with { fixture in
            try await WebhookReceiver.withRunning(now: { fixture.clock.seconds }, respond: { _, _ in .status(500) }) {
                receiver in
                let events = try await fixture.seed(1, to: ["hook"])
                let random = CyclingRandom()
                let schedule = JitteredRetrySchedule(random: { random.next() })
                let lane = fixture.lane(
                    "hook", sink: Self.sink(receiver), retrySchedule: schedule, dispatch: .concurrent(4))
                let nominal = DaemonConfiguration.Destination.defaultRetrySchedule
                try await fixture.running([lane]) {
                    for attempt in 1...nominal.count {
                        try await eventually("attempt \(attempt) recorded") {
                            try await fixture.pending("hook").first?.attempts == attempt
                        }
                        let entry = try await #require(try fixture.pending("hook").first)
                        let wait = entry.nextAttemptAt - fixture.clock.seconds
                        let seconds = Double(nominal[attempt - 1].components.seconds)
                        #expect(
                            Double(wait) >= (seconds * 0.8).rounded(.down)
                                && Double(wait) <= (seconds * 1.2).rounded(.up))
                        #expect(entry.lastStatus == 500)
                        try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                        fixture.clock.advance(by: Double(wait))
                    }
                    try await eventually("a dead letter") {
                        try await fixture.store.deadLetterCounts() == ["hook": 1]
                    }
                }
                let dead = try await fixture.store.deadLetters(destination: "hook")
                #expect(dead.map(\.eventID) == [events[0].id])
                #expect(dead.first?.attempts == nominal.count + 1)
                #expect(dead.first?.lastStatus == 500)
                #expect(receiver.requests.count == nominal.count + 1)
                #expect(receiver.problems.isEmpty)
                // Each attempt carries its number.
                let attempts = receiver.requests.compactMap {
                    (try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any])?["delivery_attempts"] as? Int
                }
                #expect(attempts == Array(1...nominal.count + 1))
            }
        }
    }

    @Test func goneDisablesTheDestinationUntilEnableReEnablesIt() async throws {
        try await DeliveryFixture.with { fixture in
            try await WebhookReceiver.withRunning(
                now: { fixture.clock.seconds }, respond: { _, index in index == 0 ? .status(410) : .status(200) }
            ) { receiver in
                try await fixture.seed(3, to: ["hook"])
                let lane = fixture.lane("hook", sink: Self.sink(receiver), dispatch: .ordered)
                try await fixture.running([lane]) {
                    try await eventually("disabled") {
                        try await fixture.store.destinationStates().first?.isDisabled == true
                    }
                    try await eventually("the lane shows it") {
                        if case .disabled = lane.status.state { return true }
                        return false
                    }
                    // No attempt is counted against the events.
                    await #expect(try fixture.pending("hook").map(\.attempts) == [0, 0, 0])
                    let report = try await StatusReport.collect(
                        store: fixture.store, topics: [], destinations: ["hook"], now: fixture.clock.seconds)
                    #expect(report.text().contains("DISABLED (HTTP 410"))
                    await #expect(try DeliveryAdmin.enable(store: fixture.store, destination: "hook"))
                    await #expect(try !DeliveryAdmin.enable(store: fixture.store, destination: "hook"))
                    try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                    fixture.clock.advance(by: 3_600)
                    try await eventually("delivered") { try await fixture.deliveredCount("hook", of: 3) == 3 }
                }
                #expect(receiver.requests.count == 4)
                #expect(receiver.problems.isEmpty)
            }
        }
    }

    enum Trouble: String, CaseIterable, Sendable { case hangs, fails }

    @Test(arguments: Trouble.allCases)
    func aTroubledDestinationDoesNotDelayAnother(_ trouble: Trouble) async throws {
        try await DeliveryFixture.with { fixture in
            try await WebhookReceiver.withRunning(now: { fixture.clock.seconds }) { good in
                try await WebhookReceiver.withRunning(
                    now: { fixture.clock.seconds }, respond: { _, _ in trouble == .hangs ? .hang : .status(500) }
                ) { bad in
                    try await fixture.seed(20, to: ["good", "bad"])
                    let lanes = [
                        fixture.lane("good", sink: Self.sink(good), dispatch: .concurrent(4)),
                        fixture.lane("bad", sink: Self.sink(bad), dispatch: .concurrent(4)),
                    ]
                    try await fixture.running(lanes) {
                        try await eventually("the bad destination is tried") { !bad.requests.isEmpty }
                        try await eventually("all delivered to the good one") {
                            try await fixture.deliveredCount("good", of: 20) == 20
                        }
                        if trouble == .hangs {
                            // Its requests are still on the wire while the other lane finished.
                            #expect(bad.inFlight > 0)
                        }
                        await #expect(try fixture.deliveredCount("bad", of: 20) == 0)
                        bad.releaseHanging()
                    }
                    #expect(good.problems.isEmpty)
                    #expect(good.maxInFlight <= 4)
                }
            }
        }
    }

    @Test func anOrderedDestinationIsStrictlyFIFOAndAFailedHeadBlocks() async throws {
        try await DeliveryFixture.with { fixture in
            try await WebhookReceiver.withRunning(
                now: { fixture.clock.seconds }, respond: { _, index in index == 0 ? .status(500) : .status(200) }
            ) { receiver in
                let events = try await fixture.seed(5, to: ["hook"])
                let lane = fixture.lane(
                    "hook", sink: Self.sink(receiver), retrySchedule: FixedRetrySchedule(delay: .seconds(5)),
                    dispatch: .ordered)
                try await fixture.running([lane]) {
                    try await eventually("the head failed") { try await fixture.pending("hook").first?.attempts == 1 }
                    try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                    // Everything behind the head is due, yet nothing else was sent.
                    #expect(receiver.requests.count == 1)
                    fixture.clock.advance(by: 5)
                    try await eventually("all delivered") { try await fixture.deliveredCount("hook", of: 5) == 5 }
                }
                let ids = events.map(\.id)
                #expect(receiver.requests.map(\.eventID) == [ids[0]] + ids)
                #expect(receiver.maxInFlight == 1)
                #expect(receiver.problems.isEmpty)
            }
        }
    }

    @Test(arguments: [1, 3])
    func theConcurrencyLimitIsRespected(limit: Int) async throws {
        try await DeliveryFixture.with { fixture in
            // The first `limit` requests are held until all of them have arrived, so the limit is reached.
            let arrivals = Mutex(0)
            let respond: WebhookReceiver.Respond = { _, _ in
                arrivals.withLock { $0 += 1 }
                let deadline = ContinuousClock.now + .seconds(10)
                while arrivals.withLock({ $0 }) < limit, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(1))
                }
                try? await Task.sleep(for: .milliseconds(5))
                return .status(200)
            }
            try await WebhookReceiver.withRunning(now: { fixture.clock.seconds }, respond: respond) { receiver in
                try await fixture.seed(12, to: ["hook"])
                let lane = fixture.lane("hook", sink: Self.sink(receiver), dispatch: .concurrent(limit))
                try await fixture.running([lane]) {
                    try await eventually("all delivered") { try await fixture.deliveredCount("hook", of: 12) == 12 }
                }
                #expect(receiver.maxInFlight == limit)
                #expect(receiver.requests.count == 12)
                #expect(receiver.problems.isEmpty)
            }
        }
    }

    @Test(
        arguments: [("30", 30), (nil, 5), ("9223372036854775807", RetryAfter.maximum)] as [(String?, Int)])
    func aThrottlingAnswerPausesTheLane(retryAfter: String?, pause: Int) async throws {
        try await DeliveryFixture.with { fixture in
            let first: WebhookReceiver.Reply = .status(429, headers: retryAfter.map { ["Retry-After": $0] } ?? [:])
            try await WebhookReceiver.withRunning(
                now: { fixture.clock.seconds }, respond: { _, index in index == 0 ? first : .status(200) }
            ) { receiver in
                try await fixture.seed(3, to: ["hook"])
                let start = fixture.clock.seconds
                let lane = fixture.lane(
                    "hook", sink: Self.sink(receiver), retrySchedule: FixedRetrySchedule(delay: .seconds(5)),
                    dispatch: .concurrent(1))
                try await fixture.running([lane]) {
                    try await eventually("throttled") { lane.status.state == .throttled(until: start + pause) }
                    try await eventually("the lane waits") { fixture.clock.sleeperCount > 0 }
                    // The other rows are due, but the whole lane waits.
                    #expect(receiver.requests.count == 1)
                    await #expect(try fixture.pending("hook").first?.nextAttemptAt == start + pause)
                    fixture.clock.advance(by: Double(pause))
                    try await eventually("all delivered") { try await fixture.deliveredCount("hook", of: 3) == 3 }
                }
                #expect(receiver.requests.count == 4)
                #expect(receiver.problems.isEmpty)
            }
        }
    }

    @Test func shutdownStartsNothingNewAndMarksOnlyAcknowledgedDeliveries() async throws {
        try await DeliveryFixture.with { fixture in
            try await WebhookReceiver.withRunning(now: { fixture.clock.seconds }, respond: { _, _ in .hang }) {
                receiver in
                try await fixture.seed(10, to: ["hook"])
                // 3 s, not less: the shutdown must reach the lane before the requests time out, or their
                // workers take the next rows (a loaded parallel run once took longer than 1 s). Still under
                // the lane's 5 s shutdown grace, so the requests end by timing out.
                let lane = fixture.lane(
                    "hook", sink: Self.sink(receiver, timeout: .seconds(3)), dispatch: .concurrent(2))
                try await fixture.running([lane]) {
                    try await eventually("two in flight") { receiver.inFlight == 2 }
                }
                // The lane returned after its requests timed out: nothing new was started, nothing delivered.
                #expect(receiver.requests.count == 2)
                await #expect(try fixture.deliveredCount("hook", of: 10) == 0)
                await #expect(try fixture.pending("hook").count == 10)
                #expect(lane.status.state == .finished)
            }
        }
    }
}
