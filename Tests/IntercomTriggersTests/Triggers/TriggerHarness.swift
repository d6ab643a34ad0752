import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Synchronization

@testable import IntercomTriggers

/// The trigger engine against a real simulator: a client over HTTP, a store in a temp directory, and
/// passes run at the simulator's (pinned) time.
struct TriggerHarness {
    static let destination = "sink"

    let server: SimulatorServer
    let client: IntercomClient
    let fixture: StoreFixture
    var store: StateStore
    var topics: [Topic]
    var lookback = 600
    /// Called after each page a pass reads (page number from 1), to change Intercom mid-pass.
    var afterPage: (@Sendable (Int) -> Void)?

    var workspace: SimulatedWorkspace { server.workspace }
    var now: Int { server.clock.nowSeconds() }

    /// Runs `body` with a simulator pinned at `time` in `timezone`, topics started at `start` (default: `time`).
    static func run(
        at time: Int, timezone: String = "America/Los_Angeles", exactSecondDates: Bool = false,
        topics: [Topic] = TopicCatalog.all, start: Int? = nil, _ body: (inout TriggerHarness) async throws -> Void
    ) async throws {
        var configuration = SimulatorConfiguration()
        configuration.workspace.timezone = timezone
        configuration.workspace.exactSecondContactDates = exactSecondDates
        configuration.rateLimitPerWindow = 100_000
        let clock = SimulatorClock(pinnedAt: Double(time))
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try await SimulatorServer.withRunning(configuration, clock: clock) { server in
            let client = IntercomClient(
                configuration: IntercomConfiguration(
                    accessToken: server.token, baseURL: server.baseURL, maxRequestsPerMinute: 1_000_000),
                clock: InstantWallClock(simulator: clock))
            let store = try fixture.open()
            try await store.ensureTopics(Dictionary(uniqueKeysWithValues: topics.map { ($0.name, start ?? time) }))
            var harness = TriggerHarness(server: server, client: client, fixture: fixture, store: store, topics: topics)
            do {
                try await body(&harness)
            } catch {
                try? harness.store.close()
                await client.shutdown()
                throw error
            }
            try harness.store.close()
            await client.shutdown()
        }
    }

    /// One poll cycle: a pass per resource with enabled topics, at the simulator's now.
    @discardableResult
    func poll() async throws -> [PassReport] {
        var reports: [PassReport] = []
        let source = HookedSource(inner: IntercomObservationSource(client: client), afterPage: afterPage)
        for resource in Resource.allCases where topics.contains(where: { $0.resource == resource }) {
            let pass = ResourcePass(resource: resource, topics: topics, lookback: lookback, workspaceID: "ws")
            let store = self.store
            let commit: @Sendable (PageCommit) async throws -> PageOutcome = {
                try await store.commit($0, routes: [Self.destination: nil])
            }
            reports.append(try await pass.run(source: source, store: store, now: now, commit: commit))
        }
        return reports
    }

    /// Every event in the store as "topic item version", in seq order.
    func fired() async throws -> [String] {
        try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 1_000_000).map {
            "\($0.topic) \($0.itemID) \($0.version)"
        }
    }

    /// Marks everything pending as delivered and returns how many rows that was.
    @discardableResult
    func drain() async throws -> Int {
        let due = try await store.dueOutbox(destination: Self.destination, now: Int.max, limit: 1_000_000)
        try await store.markDelivered(destination: Self.destination, seqs: due.map(\.event.seq), at: now)
        return due.count
    }

    /// Closes and reopens the store, as a restart does.
    mutating func restart() throws {
        try store.close()
        store = try fixture.open()
    }

    /// Ten seconds on, a user and a conversation they start; then ten seconds more, so the next poll reads both.
    func addUserWithConversation() throws {
        advance(by: 10)
        let user = try workspace.createContact(role: "user", email: "u@example.com")
        try workspace.createConversation(contactID: user.id, body: "Hello")
        advance(by: 10)
    }

    func advance(to time: Int) { server.clock.pin(at: Double(time)) }
    func advance(by seconds: Int) { server.clock.advance(by: Double(seconds)) }
}

/// Passes pages through and calls a hook after each one.
struct HookedSource: ObservationSource {
    let inner: any ObservationSource
    let afterPage: (@Sendable (Int) -> Void)?
    let count = Counter()

    func page(_ request: StreamRequest, after cursor: String?) async throws -> ObservationPage {
        let page = try await inner.page(request, after: cursor)
        afterPage?(count.next())
        return page
    }

    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1
                return $0
            }
        }
    }
}
