import Foundation
import IntercomTriggersTesting
import Logging

@testable import IntercomTriggers

/// A poller of contact topics over scripted Intercom search pages (a ``FakeTransport``), on a fresh store whose
/// topics start at the beginning, at Unix second `at` (2,000 unless given) of an ``InstantWallClock``: for
/// tests of what hostile items do to a pass.
struct PagePoller {
    static let topics = ["contact.lead.created", "contact.user.created"]

    let store: StateStore
    let poller: PollerService
    let clock: InstantWallClock
    let telemetry: DaemonTelemetry

    /// Runs `body` with the poller; the store is removed afterwards.
    static func with<T>(
        _ transport: FakeTransport, at time: Int = 2_000,
        logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, _ body: (PagePoller) async throws -> T
    ) async throws -> T {
        let files = try StoreFixture()
        defer { files.remove() }
        let store = try files.open()
        defer { try? store.close() }
        try await store.ensureTopics(Dictionary(uniqueKeysWithValues: topics.map { ($0, 0) }))
        let clock = InstantWallClock(now: Date(timeIntervalSince1970: Double(time)))
        let telemetry = DaemonTelemetry()
        let poller = PollerService(
            store: store,
            source: IntercomObservationSource(client: IntercomClientTests.client(transport, clock: clock)),
            settings: .init(
                topics: TopicCatalog.all.filter { topics.contains($0.name) }, interval: .seconds(2), lookback: 600,
                routes: ["out": nil]),
            clock: clock, logger: logger, workspace: { "ws" }, telemetry: telemetry)
        return try await body(PagePoller(store: store, poller: poller, clock: clock, telemetry: telemetry))
    }

    /// `status` as the store has it now.
    func status() async throws -> StatusReport {
        try await StatusReport.collect(
            store: store, topics: Self.topics, destinations: ["out"], now: Int(clock.now().timeIntervalSince1970))
    }
}
