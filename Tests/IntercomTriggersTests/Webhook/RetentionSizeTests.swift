import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// A million events through the store — commit, deliver, prune, in rounds as the daemon does — leave the
/// database file the size it had after the first hundred thousand: SQLite reuses the pages pruning frees.
@Suite struct RetentionSizeTests {
    static let total = 1_000_000
    static let perRound = 20_000
    static let perPage = 5_000
    /// Rounds are an hour apart; delivered rows are kept for two rounds.
    static let roundSeconds = 3_600
    static let retention = Duration.seconds(2 * 3_600)

    @Test func theDatabaseStaysFlatOverAMillionEvents() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let store = try files.open()
        defer { try? store.close() }
        let clock = ManualWallClock()
        let topic = DeliveryFixture.topic
        let retention = RetentionService(
            store: store, retention: Self.retention, clock: clock, logger: DeliveryFixture.quiet)
        let padding = String(repeating: "x", count: 200)
        let started = ContinuousClock.now
        var sizes: [(events: Int, bytes: Int)] = []
        var committed = 0
        while committed < Self.total {
            for _ in 0..<(Self.perRound / Self.perPage) {
                let now = clock.seconds
                let events = (committed..<committed + Self.perPage).map { index in
                    StoreFixture.candidate(
                        topic, "c\(index)", now, body: #"{"type":"contact","id":"c\#(index)","pad":"\#(padding)"}"#)
                }
                let queued = try await store.commitPage(
                    StoreFixture.page(events, routes: ["hook": nil], detectedAt: now))
                // The lane: everything due is delivered.
                let due = try await store.dueOutbox(destination: "hook", now: now, limit: Self.perPage)
                #expect(due.count == queued.count)
                try await store.markDelivered(destination: "hook", seqs: due.map(\.event.seq), at: now)
                committed += Self.perPage
            }
            // The poller forgets versions behind its horizon; the retention service prunes the rest.
            _ = try await store.pruneSeenVersions(olderThan: [
                topic: clock.seconds - Int(Self.retention.components.seconds)
            ])
            try await retention.prune()
            clock.advance(by: Double(Self.roundSeconds))
            if committed % 100_000 == 0 {
                let bytes = Self.size(files.path)
                sizes.append((committed, bytes))
                print(
                    "retention: \(committed) events, database \(bytes) bytes, WAL \(Self.size(files.path + "-wal")) bytes"
                )
            }
        }
        print("retention: \(Self.total) events in \(ContinuousClock.now - started)")
        #expect(try await store.queueDepth().isEmpty)
        let first = try #require(sizes.first).bytes
        let last = try #require(sizes.last).bytes
        #expect(last <= first * 3 / 2, "database grew from \(first) to \(last) bytes")
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
