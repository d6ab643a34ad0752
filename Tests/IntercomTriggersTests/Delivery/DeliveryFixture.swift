import Foundation
import IntercomTriggersTesting
import Logging

@testable import IntercomTriggers

/// A store in a temporary directory, a manual clock, and helpers to seed events and wait for lanes.
struct DeliveryFixture {
    static let topic = "contact.lead.created"

    /// A logger that drops everything: lanes log each failure, which tests provoke on purpose.
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    let store: StateStore
    let clock: ManualWallClock
    let signal = OutboxSignal()

    /// Runs `body` with a fresh daemon-role store, then closes it and removes its directory.
    static func with<T>(_ body: (DeliveryFixture) async throws -> T) async throws -> T {
        let files = try StoreFixture()
        defer { files.remove() }
        let store = try files.open()
        defer { try? store.close() }
        return try await body(DeliveryFixture(store: store, clock: ManualWallClock()))
    }

    /// Commits `count` events routed to `destinations`, detected now (so due now); returns them in seq order.
    @discardableResult
    func seed(_ count: Int, to destinations: [String] = ["console"], first: Int = 0) async throws -> [StoredEvent] {
        let events = (first..<first + count).map { StoreFixture.candidate(Self.topic, "c\($0)", 100 + $0) }
        let routes = Dictionary(uniqueKeysWithValues: destinations.map { ($0, OutboxRoute(topics: nil)) })
        return try await store.commitPage(StoreFixture.page(events, routes: routes, detectedAt: clock.seconds))
    }

    /// A lane of `destination` on this fixture's store, clock and signal.
    func lane(
        _ destination: String = "console", sink: any EventSink,
        retrySchedule: any RetrySchedule = FixedRetrySchedule(delay: .seconds(5)), batchSize: Int = 100,
        dispatch: LaneDispatch = .batches, idlePoll: Duration = .seconds(3_600),
        logger: Logger = DeliveryFixture.quiet, telemetry: DaemonTelemetry = DaemonTelemetry()
    ) -> DeliveryLane {
        DeliveryLane(
            destination: destination, store: store, sink: sink, signal: signal, clock: clock,
            retrySchedule: retrySchedule, batchSize: batchSize, dispatch: dispatch, idlePoll: idlePoll,
            logger: logger, telemetry: telemetry)
    }

    /// Makes every write of the outbox fail, as a full disk does, until ``freeSpace()``: a temporary trigger
    /// on the store's one writer connection.
    func fillDisk() async throws {
        try await store.write("fill disk") { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER disk_full BEFORE UPDATE ON outbox
                    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END
                    """)
        }
    }

    /// Ends ``fillDisk()``.
    func freeSpace() async throws {
        try await store.write("free space") { db in try db.execute(sql: "DROP TRIGGER temp.disk_full") }
    }

    /// Rows of `destination` still pending, due or not, in event order.
    func pending(_ destination: String = "console") async throws -> [OutboxEntry] {
        try await store.dueOutbox(destination: destination, now: Int.max, limit: 10_000)
    }

    /// How many rows of `destination` are neither pending nor dead: delivered.
    func deliveredCount(_ destination: String = "console", of total: Int) async throws -> Int {
        total - (try await store.queueDepth()[destination] ?? 0)
            - (try await store.deadLetterCounts()[destination] ?? 0)
    }

    struct FixtureTimeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for: \(what)" }
    }
}

extension DeliveryFixture {
    /// Runs `lanes` while `body` runs, then stops them and waits for them to return.
    func running<T>(_ lanes: [DeliveryLane], _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in lanes {
                group.addTask { try await lane.run() }
            }
            do {
                let result = try await body()
                for lane in lanes { lane.stop() }
                try await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
