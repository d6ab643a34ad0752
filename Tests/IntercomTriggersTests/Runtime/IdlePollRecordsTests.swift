import Foundation
import Testing

@testable import IntercomTriggers

/// Idle polls are noted and written in one batch; a batch never overwrites a newer record (an error written since).
@Suite struct IdlePollRecordsTests {
    @Test func aNoteReplacesTheOlderOneOfTheSameTopicsAndTakeEmptiesTheList() {
        let records = IdlePollRecords()
        let workspace = StoreWorkspace(id: 7)
        records.note(PollRecord(workspace: workspace, topics: ["a", "b"], at: 10, result: "ok: 1"))
        records.note(PollRecord(workspace: workspace, topics: ["a", "b"], at: 20, result: "ok: 2"))
        records.note(PollRecord(workspace: workspace, topics: ["c"], at: 20, result: "ok: 3"))
        #expect(records.count == 2)
        let taken = records.take().sorted { $0.topics.count > $1.topics.count }
        #expect(taken.map(\.at) == [20, 20])
        #expect(taken.map(\.result) == ["ok: 2", "ok: 3"])
        #expect(records.take().isEmpty)
    }

    @Test func aBatchRecordsEachWorkspacesTopicsUnlessANewerRecordIsThere() async throws {
        try await StoreFixture.withStore { store in
            let other = try await store.registerWorkspace(name: "other")
            try await store.ensureTopics(["contact.user.created": 0, "contact.lead.created": 0], in: .first)
            try await store.ensureTopics(["contact.user.created": 0], in: other)
            // An error at 200 in workspace 1's lead topic: the older idle record must not hide it.
            try await store.recordPoll(
                topics: ["contact.lead.created"], at: 200, result: "error", error: "401", in: .first)
            try await store.recordPolls([
                PollRecord(
                    workspace: .first, topics: ["contact.user.created", "contact.lead.created"], at: 150,
                    result: "ok: 1 requests, 0 items, 0 events"),
                PollRecord(
                    workspace: other, topics: ["contact.user.created"], at: 160,
                    result: "ok: 2 requests, 0 items, 0 events"),
            ])
            let first = Dictionary(uniqueKeysWithValues: try await store.topicStates(in: .first).map { ($0.topic, $0) })
            #expect(first["contact.user.created"]?.lastPollAt == 150)
            #expect(first["contact.user.created"]?.lastError == nil)
            #expect(first["contact.lead.created"]?.lastPollAt == 200)
            #expect(first["contact.lead.created"]?.lastError == "401")
            let second = try await store.topicStates(in: other)
            #expect(second.map(\.lastPollAt) == [160])
            #expect(second.map(\.lastResult) == ["ok: 2 requests, 0 items, 0 events"])
        }
    }
}
