import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WebhookEndToEnd {
    /// At least once across a crash: the daemon is SIGKILLed while 10,000 events are being delivered to three
    /// destinations and restarted; every event still reaches every destination, every request verified.
    @Suite struct WebhookCrashRecoveryTests {
        static let contacts = 10_000
        static let destinations = 3
        /// Kill when the slowest sink has acknowledged this many distinct events.
        static let killPoints = [1_000, 5_000]

        @Test(.timeLimit(.minutes(20)))
        func sigkillDuringFanOutLosesNothing() async throws {
            let directory = try TemporaryDirectory("webhook-crash")
            let simulator = try await SimulatorProcess(["--contacts", "\(Self.contacts)"], in: directory)
            defer { simulator.stop() }
            let expected = try await ExpectedEvents.backfill(of: simulator)
            #expect(expected.count == Self.contacts)
            let secrets = (0..<Self.destinations).map { _ in WebhookDestination.randomSecret() }
            // Each sink holds requests open once it has acknowledged the kill point: the kill always finds
            // deliveries in flight, however fast (or loaded) the machine. Sampling for "in flight" instead
            // could miss the moment and wait for ever.
            let modes = [WebhookReceiverMode](
                repeating: .hangAfter(acknowledged: Self.killPoints[0]), count: Self.destinations)
            try await WebhookSinks.withRunning(modes, secrets: secrets) { sinks in
                var config = DaemonConfigFile(simulator: simulator, directory: directory)
                config.stdoutDestination = false
                config.extra = sinks.indices.map {
                    WebhookDestination(name: "hook-\($0)", url: sinks[$0].url, secret: secrets[$0]).toml
                }.joined()
                let path = try config.write(in: directory)
                func slowest() -> Int { sinks.map { $0.snapshot.acknowledged.count }.min() ?? 0 }
                // A fan-out that cannot finish (daemon gone, dead letters, sinks stalled) fails the wait at once.
                let watch = FanOutWatch(
                    sinks: sinks.indices.map { ("hook-\($0)", sinks[$0]) }, storePath: config.storePath)

                var daemons: [DaemonProcess] = []
                defer { for daemon in daemons { daemon.kill() } }
                for (round, point) in Self.killPoints.enumerated() {
                    let daemon = try DaemonProcess(config: path, in: directory, name: "daemon-\(round)")
                    daemons.append(daemon)
                    // Killed with deliveries in flight, so some are sent but never recorded.
                    try await eventually(
                        "\(point) events delivered to every sink", timeout: .seconds(900), interval: .milliseconds(100)
                    ) {
                        try await watch.check(daemon)
                        return slowest() >= point && sinks.contains { $0.snapshot.inFlight > 0 }
                    }
                    let inFlight = sinks.map { $0.snapshot.inFlight }
                    let killed = try await daemon.stop(with: SIGKILL)
                    #expect(killed == .killed(by: SIGKILL))
                    // Let the held requests answer (to a dead daemon) and move the stop to the next point.
                    let next: WebhookReceiverMode =
                        round + 1 < Self.killPoints.count
                        ? .hangAfter(acknowledged: Self.killPoints[round + 1]) : .accept
                    for sink in sinks { sink.setMode(next) }
                    print(
                        "webhook-crash: round \(round) killed at \(slowest()) delivered (slowest sink), in flight \(inFlight)"
                    )
                }

                let last = try DaemonProcess(config: path, in: directory, name: "daemon-final")
                daemons.append(last)
                try await eventually(
                    "every sink acknowledges every event", timeout: .seconds(900), interval: .milliseconds(100)
                ) {
                    try await watch.check(last)
                    return sinks.allSatisfy { Set($0.snapshot.acknowledged.keys).isSuperset(of: expected) }
                }
                #expect(try await last.stop(with: SIGTERM) == .exited(0))

                for (index, sink) in sinks.enumerated() {
                    let seen = sink.snapshot
                    #expect(seen.rejected.isEmpty, "hook-\(index) rejected: \(seen.rejected.prefix(3))")
                    #expect(Set(seen.acknowledged.keys) == expected, "hook-\(index) got unexpected events")
                    let duplicates = seen.acknowledged.values.reduce(0, +) - seen.acknowledged.count
                    print(
                        "webhook-crash: hook-\(index) \(seen.requestCount) requests, \(duplicates) duplicate deliveries"
                    )
                }
                let store = try StoreInspector(path: config.storePath)
                defer { store.close() }
                for index in sinks.indices {
                    await #expect(
                        try store.outboxCount(destination: "hook-\(index)", state: "delivered") == expected.count)
                }
                await #expect(try store.duplicateOutboxKeys() == [])
            }
        }
    }
}
