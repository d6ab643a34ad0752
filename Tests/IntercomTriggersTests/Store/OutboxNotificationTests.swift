import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// The lanes of every daemon on a shared store wake when another daemon queues events or an admin re-queues them
/// (#16, LISTEN/NOTIFY), instead of waiting for their quiet poll.
@Suite struct OutboxNotificationTests {
    final class Count: Sendable {
        private let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
        var current: Int { value.withLock { $0 } }
    }

    @Test func anotherDaemonsCommitAndAnAdminsReplayWakeTheListener() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try await cluster.createDatabase()
        let location = StateStore.Location.postgres(StoreFixture.postgresLocation(cluster, database))
        let wakeUps = Count()
        try await StateStore.withOpened(location, role: .daemon) { listening async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listening.listenForOutboxChanges { wakeUps.add() } }
                defer { group.cancelAll() }
                // Let the LISTEN reach the server before anything is committed.
                try await Task.sleep(for: .milliseconds(300))
                let events = try await StateStore.withOpened(location, role: .daemon) { other in
                    try await other.commitPage(
                        StoreFixture.page([StoreFixture.candidate("contact.user.created", "c1", 1)]))
                }
                try await eventually("the commit wakes the listener") { wakeUps.current >= 1 }
                let afterCommit = wakeUps.current
                // A page that queues nothing wakes nobody.
                _ = try await StateStore.withOpened(location, role: .daemon) { other in
                    try await other.commitPage(StoreFixture.page([], watermarks: ["contact.user.created": 5]))
                }
                _ = try await StateStore.withOpened(location, role: .admin) { admin in
                    try await admin.replay(
                        destination: "console", eventID: events[0].id, since: nil, allFailed: false)
                }
                try await eventually("the admin's replay wakes the listener") { wakeUps.current > afterCommit }
                #expect(
                    wakeUps.current == afterCommit + 1, "\(wakeUps.current) wake-ups, \(afterCommit) before the replay")
            }
        }
    }
}
