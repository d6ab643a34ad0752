import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WebhookEndToEnd {
    /// DESIGN §2/§7: every destination is an independent lane, so one answering 500, throttling with 503 or
    /// hanging does not hold back another destination's deliveries.
    @Suite struct WebhookIsolationTests {
        static let contacts = 300

        @Test(
            "A failing or hanging destination does not delay a healthy one",
            .timeLimit(.minutes(3)),
            arguments: [WebhookReceiverMode.fail(status: 500), .fail(status: 503), .hang])
        func badDestinationDoesNotDelayHealthyOne(bad: WebhookReceiverMode) async throws {
            let directory = try TemporaryDirectory("webhook-isolation")
            let simulator = try await SimulatorProcess(["--contacts", "\(Self.contacts)"], in: directory)
            defer { simulator.stop() }
            let expected = try await ExpectedEvents.backfill(of: simulator)
            let secrets = [WebhookDestination.randomSecret(), WebhookDestination.randomSecret()]
            try await WebhookSinks.withRunning([.accept, bad], secrets: secrets) { sinks in
                let (good, failing) = (sinks[0], sinks[1])
                var config = DaemonConfigFile(simulator: simulator, directory: directory)
                config.stdoutDestination = false
                // The bad destination goes first in the file; a hanging request outlives the whole test.
                config.extra =
                    WebhookDestination(name: "bad", url: failing.url, secret: secrets[1], timeout: "120s").toml
                    + WebhookDestination(name: "good", url: good.url, secret: secrets[0]).toml
                let path = try config.write(in: directory)
                let daemon = try DaemonProcess(config: path, in: directory)
                defer { daemon.kill() }

                let watch = FanOutWatch(sinks: [("good", good)], storePath: config.storePath, stallLimit: .seconds(60))
                try await eventually(
                    "the healthy destination acknowledges every event", timeout: .seconds(120),
                    interval: .milliseconds(100)
                ) {
                    try await watch.check(daemon)
                    return Set(good.snapshot.acknowledged.keys).isSuperset(of: expected)
                }
                let seen = failing.snapshot
                if case .hang = bad {
                    // Still holding the bad destination's requests while the good one finished.
                    #expect(seen.inFlight > 0, "the hanging destination has nothing in flight")
                } else {
                    #expect(seen.requestCount > 0, "the failing destination was never tried")
                }
                #expect(seen.acknowledged.isEmpty)
                #expect(good.snapshot.rejected.isEmpty, "rejected: \(good.snapshot.rejected.prefix(3))")
                #expect(seen.rejected.isEmpty, "rejected: \(seen.rejected.prefix(3))")
                #expect(Set(good.snapshot.acknowledged.keys) == expected)

                // Nothing the bad destination never acknowledged is marked delivered for it.
                let store = try StoreInspector(path: config.storePath)
                defer { store.close() }
                // A lane records outcomes a few milliseconds after the receiver acknowledges them (gathered into
                // one transaction), so the healthy destination's records may trail its sink briefly.
                try await eventually("the healthy destination's deliveries are recorded", timeout: .seconds(10)) {
                    try await store.deliveredEventIDs(destination: "good") == expected
                }
                await #expect(try store.deliveredEventIDs(destination: "bad").isEmpty)
                await #expect(try store.deliveredEventIDs(destination: "good") == expected)
                failing.setMode(.accept)
                #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
            }
        }
    }
}
