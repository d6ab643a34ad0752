import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon under a stand-in for systemd: `NOTIFY_SOCKET` names a socket the test reads.
@Suite struct DaemonSystemdTests {
    static let token = Secret("sim-token", source: .inline(key: "access_token"))

    @Test(.timeLimit(.minutes(2)))
    func readyThenStatusWithThePollAndThePingsThenStopping() async throws {
        let listener = try NotifySocketListener()
        let files = try StoreFixture()
        defer { files.remove() }
        var simulator = SimulatorConfiguration()
        simulator.seedContacts = 5
        simulator.rateLimitPerWindow = 100_000
        try await SimulatorServer.withRunning(simulator) { server in
            let topics = TopicCatalog.defaults
            let configuration = DaemonConfiguration(
                intercom: .init(accessToken: Secret(server.token, source: .inline(key: "t")), baseURL: server.baseURL),
                poll: .init(interval: .seconds(1)), store: .init(path: files.path),
                triggers: .init(topics: topics, start: .beginning),
                destinations: [.init(name: "stdout", kind: .stdout, topics: topics)])
            let devNull = open("/dev/null", O_WRONLY)
            defer { close(devNull) }
            let (logger, logs) = CapturingLogHandler.logger()
            let daemon = try await Daemon.build(
                configuration: configuration, logger: logger, stdout: devNull,
                environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "200000"])
            let running = NotifiedDaemon(daemon)
            do {
                let ready = try await listener.next()
                #expect(ready.notifyValue("READY") == "1", "\(ready)")
                #expect(ready.notifyValue("STATUS") != nil)
                let polled = try await listener.collect(until: {
                    $0.notifyValue("STATUS")?.hasPrefix("last poll ok at ") == true
                })
                let status = try #require(polled.last?.notifyValue("STATUS"))
                #expect(status.contains("; queue "))
                var pings = polled.filter { $0.notifyValue("WATCHDOG") == "1" }.count
                while pings < 3 {
                    if try await listener.next().notifyValue("WATCHDOG") == "1" { pings += 1 }
                }
                #expect(daemon.telemetry.snapshot.pollCycles > 0)
            } catch {
                try await running.stop()
                throw error
            }
            try await running.stop()
            let stopping = try await listener.collect(until: { $0.notifyValue("STOPPING") != nil })
            #expect(stopping.last == "STOPPING=1\nSTATUS=stopping")
            #expect(listener.receiveNow() == nil)
            // A quick stop: within the graceful phase, so no warning.
            #expect(!logs.all.contains { $0.contains("shutdown_timeout reached") })
            #expect(logs.all.last?.hasPrefix("info intercom-triggerd stopped") == true)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aWedgedPollLoopStopsThePingsAndTheStatusNamesIt() async throws {
        let listener = try NotifySocketListener(abstract: true)
        let files = try StoreFixture()
        defer { files.remove() }
        let clock = ManualWallClock()
        let transport = HangingTransport()
        let configuration = DaemonConfiguration(
            intercom: .init(accessToken: Self.token), store: .init(path: files.path),
            service: .init(shutdownTimeout: .seconds(5), stallLimit: .seconds(30)))
        let daemon = try await Daemon.build(
            configuration: configuration, logger: DeliveryFixture.quiet, clock: clock, transport: transport,
            environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "2000000"])
        let running = NotifiedDaemon(daemon)
        do {
            #expect(try await listener.next().hasPrefix("READY=1\nSTATUS=first poll running"))
            // A second a step: the poller's first request never comes back.
            let step = { clock.advance(by: 1) }
            let untilStalled = try await listener.collect(
                until: { $0.notifyValue("STATUS")?.hasPrefix("STALLED: poller (no progress for ") == true },
                step: step)
            #expect(transport.entered == 1)
            #expect(untilStalled.dropLast().allSatisfy { $0.notifyValue("WATCHDOG") == "1" })
            #expect(untilStalled.count > 1)
            #expect(untilStalled.last?.notifyValue("WATCHDOG") == nil)
            // Every later tick: the stall grows in the status, and still no ping.
            for _ in 0..<5 {
                let next = try await listener.collect(until: { _ in true }, step: step)
                #expect(next.last?.notifyValue("WATCHDOG") == nil)
                #expect(next.last?.notifyValue("STATUS")?.hasPrefix("STALLED: poller") == true)
            }
        } catch {
            try await running.stop()
            throw error
        }
        try await running.stop()
        let rest = try await listener.collect(until: { $0.notifyValue("STOPPING") != nil })
        #expect(rest.allSatisfy { $0.notifyValue("WATCHDOG") == nil })
    }

    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownSaysStoppingAtOnceAndEndsWithinShutdownTimeoutThoughADeliveryHangs() async throws {
        let listener = try NotifySocketListener()
        let files = try StoreFixture()
        defer { files.remove() }
        let webhook = HangingTransport()
        let topics = TopicCatalog.defaults
        let configuration = DaemonConfiguration(
            intercom: .init(accessToken: Self.token), store: .init(path: files.path),
            triggers: .init(topics: topics),
            destinations: [
                .init(
                    name: "hook", kind: .webhook(.init(url: URL(string: "https://hook.example/in")!)), topics: topics,
                    timeout: .seconds(600), ordered: true)
            ],
            service: .init(shutdownTimeout: .seconds(1)))
        let (logger, logs) = CapturingLogHandler.logger()
        let daemon = try await Daemon.build(
            configuration: configuration, logger: logger, transport: HangingTransport(),
            webhookTransport: { webhook }, environment: ["NOTIFY_SOCKET": listener.address])
        daemon.identity.set("app1")
        try await daemon.store.commitPage(
            StoreFixture.page(
                [StoreFixture.candidate(topics[0].name, "c1", 1)], routes: ["hook": nil],
                detectedAt: Int(Date().timeIntervalSince1970)))
        let running = NotifiedDaemon(daemon)
        do {
            #expect(try await listener.next().notifyValue("READY") == "1")
            while webhook.entered == 0 { try await Task.sleep(for: .milliseconds(5)) }
        } catch {
            try await running.stop()
            throw error
        }
        // Without the bound the ordered lane would wait for this delivery for ever (its timeout is 10 minutes).
        try await running.stop()
        #expect(try await listener.next() == "STOPPING=1\nSTATUS=stopping")
        #expect(logs.all.contains { $0.hasPrefix("warning shutdown_timeout reached") }, "\(logs.all)")
        #expect(logs.all.last?.hasPrefix("info intercom-triggerd stopped") == true)
        let store = try files.open()
        defer { try? store.close() }
        // Still pending, its attempt ended by the cancellation that follows the graceful phase.
        let row = try #require(try await store.dueOutbox(destination: "hook", now: Int.max, limit: 10).first)
        #expect(row.lastError?.contains("CancellationError") == true, "\(row)")
    }
}
