import Foundation
import Testing

@testable import IntercomTriggers

/// How a turn is shared among workspaces (``FairShare``), on made-up queues: rows named `workspace.n`.
@Suite struct FairShareTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// Due rows per workspace.
        var queues: [Int64: Int]
        var limit: Int
        var rotation: Int64?
        var expected: [String]
        var testDescription: String { "\(queues.sorted { $0.key < $1.key }) limit \(limit) after \(rotation ?? 0)" }
    }

    static let cases: [Case] = [
        // One workspace: its first rows in event order, as before workspaces shared lanes.
        Case(queues: [1: 5], limit: 3, expected: ["1.1", "1.2", "1.3"]),
        Case(queues: [1: 2], limit: 3, expected: ["1.1", "1.2"]),
        Case(queues: [:], limit: 3, expected: []),
        // A backlog and one new event: the new one is second.
        Case(queues: [1: 10_000, 2: 1], limit: 4, expected: ["1.1", "2.1", "1.2", "1.3"]),
        // ⌈8/3⌉ = 3 each; 3 has one, the share it leaves goes to the others (1 first in the round).
        Case(
            queues: [1: 9, 2: 9, 3: 1], limit: 8,
            expected: ["1.1", "2.1", "3.1", "1.2", "2.2", "1.3", "2.3", "1.4"]),
        // More workspaces than rows: one each from the first in the round, which starts after the rotation point.
        Case(queues: [1: 5, 2: 5, 3: 5, 4: 5], limit: 2, expected: ["1.1", "2.1"]),
        Case(queues: [1: 5, 2: 5, 3: 5, 4: 5], limit: 2, rotation: 2, expected: ["3.1", "4.1"]),
        Case(queues: [1: 5, 2: 5, 3: 5, 4: 5], limit: 3, rotation: 3, expected: ["4.1", "1.1", "2.1"]),
        Case(queues: [1: 5, 2: 5], limit: 3, rotation: 9, expected: ["1.1", "2.1", "1.2"]),
        // Workspaces with nothing due leave the turn to the others.
        Case(queues: [1: 0, 2: 0, 3: 4], limit: 3, expected: ["3.1", "3.2", "3.3"]),
    ]

    @Test(arguments: cases)
    func sharesATurn(_ test: Case) throws {
        let workspaces = FairShare.rotated(test.queues.keys.sorted(), after: test.rotation)
        var calls = 0
        let turn = FairShare(workspaces: workspaces, limit: test.limit).take { workspace, afterSeq, count in
            calls += 1
            // Seqs are workspace × 100,000 + n: each workspace's rows in event order.
            let first = afterSeq == 0 ? 1 : Int(afterSeq % 100_000) + 1
            let last = min(test.queues[workspace] ?? 0, first + count - 1)
            return (first..<last + 1).map { Self.entry(workspace, $0) }
        }
        #expect(turn.map { "\($0.workspace.id).\($0.event.seq % 100_000)" } == test.expected)
        // Each read either fills its share or finds a workspace done: bounded by the turn, whatever the backlogs.
        #expect(calls <= test.limit + test.queues.count)
    }

    static func entry(_ workspace: Int64, _ n: Int) -> OutboxEntry {
        OutboxEntry(
            destination: "d",
            event: StoredEvent(
                seq: workspace * 100_000 + Int64(n), id: "\(workspace).\(n)", topic: "t", itemID: "i", version: 1,
                detectedAt: 0, item: Data()),
            attempts: 0, nextAttemptAt: 0, workspace: StoreWorkspace(id: workspace))
    }
}
