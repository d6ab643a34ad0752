import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WebhookEndToEnd {
    /// SIGTERM with deliveries in flight to slow receivers: the daemon exits 0 within 10 s and marks nothing
    /// delivered that a receiver never acknowledged.
    @Suite struct WebhookShutdownTests {
        static let contacts = 1_000
        static let destinations = 4

        /// One shutdown scenario.
        struct Round: Sendable {
            /// `concurrency` of each destination.
            var concurrency: Int
            /// How long each receiver takes to answer 200.
            var receiverDelay: Duration
            /// Requests in flight at the receivers (all of them) before SIGTERM.
            var inFlightBeforeTerm: Int
        }

        /// SIGTERM with 1,000 deliveries in flight (4 destinations × 250) to receivers that answer after 7 s:
        /// the lanes give in-flight requests a 5 s grace, then abandon them, so the daemon exits within 10 s
        /// and none of those rows is marked delivered. Repeated 20 times, since shutdown races are intermittent.
        @Test(.timeLimit(.minutes(20)))
        func sigtermWithAThousandDeliveriesInFlightRepeatedly() async throws {
            let directory = try TemporaryDirectory("webhook-sigterm")
            let simulator = try await SimulatorProcess(["--contacts", "\(Self.contacts)"], in: directory)
            defer { simulator.stop() }
            let expected = try await ExpectedEvents.backfill(of: simulator)
            let round = Round(concurrency: 250, receiverDelay: .seconds(7), inFlightBeforeTerm: 1_000)
            for index in 0..<20 {
                try await run(round, index: index, simulator: simulator, expected: expected, directory: directory)
            }
        }

        /// A fresh store and fresh slow sinks, so acknowledgements belong to this round only.
        private func run(
            _ round: Round, index: Int, simulator: SimulatorProcess, expected: Set<String>,
            directory: TemporaryDirectory
        ) async throws {
            let secrets = (0..<Self.destinations).map { _ in WebhookDestination.randomSecret() }
            let modes = [WebhookReceiverMode](repeating: .slow(round.receiverDelay), count: Self.destinations)
            let roundStarted = ContinuousClock.now
            try await WebhookSinks.withRunning(modes, secrets: secrets) { sinks in
                var config = DaemonConfigFile(simulator: simulator, directory: directory)
                config.storePath = directory.path("state-\(index).sqlite")
                config.stdoutDestination = false
                config.extra = sinks.indices.map {
                    WebhookDestination(
                        name: "hook-\($0)", url: sinks[$0].url, secret: secrets[$0], concurrency: round.concurrency
                    ).toml
                }.joined()
                let path = try config.write(in: directory, name: "daemon-\(index).conf")
                let daemon = try DaemonProcess(config: path, in: directory, name: "daemon-\(index)")
                defer { daemon.kill() }
                func inFlight() -> Int { sinks.map { $0.snapshot.inFlight }.reduce(0, +) }
                try await eventually(
                    "\(round.inFlightBeforeTerm) deliveries in flight", timeout: .seconds(60),
                    interval: .milliseconds(100)
                ) {
                    guard daemon.process.isRunning else {
                        throw EndToEndError("daemon exited: \(daemon.process.standardErrorTail())")
                    }
                    return inFlight() >= round.inFlightBeforeTerm
                }
                let atTerm = inFlight()
                let started = ContinuousClock.now
                let toInFlight = started - roundStarted
                // The 10 s limit is the requirement itself: a slower stop fails the round.
                let termination = try await daemon.stop(with: SIGTERM, timeout: .seconds(10))
                let took = ContinuousClock.now - started
                #expect(termination == .exited(0), "round \(index): \(daemon.process.standardErrorTail())")

                let store = try StoreInspector(path: config.storePath)
                defer { store.close() }
                var pending = 0
                for (number, sink) in sinks.enumerated() {
                    let seen = sink.snapshot
                    let delivered = try await store.deliveredEventIDs(destination: "hook-\(number)")
                    let unacknowledged = delivered.subtracting(seen.acknowledged.keys)
                    #expect(
                        unacknowledged.isEmpty,
                        "round \(index) hook-\(number): \(unacknowledged.count) rows delivered, never acknowledged")
                    #expect(seen.rejected.isEmpty, "round \(index) hook-\(number): \(seen.rejected.prefix(3))")
                    #expect(delivered.isSubset(of: expected))
                    await pending += try store.outboxCount(destination: "hook-\(number)", state: "pending")
                }
                let maxInFlight = sinks.map { $0.snapshot.maxInFlight }
                print(
                    "webhook-sigterm: round \(index): \(atTerm) in flight at SIGTERM after \(toInFlight) (max per sink \(maxInFlight)), exited after \(took), \(pending) rows pending"
                )
            }
            print("webhook-sigterm: round \(index) took \(ContinuousClock.now - roundStarted) with the sinks' shutdown")
        }
    }
}
