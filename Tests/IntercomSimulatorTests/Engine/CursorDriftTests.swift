import Testing

@testable import IntercomSimulator

/// Cursors are stateless: a record updated between two pages moves, so it can be seen twice or skipped.
@Suite struct CursorDriftTests {
    static let base = 1_779_900_000

    /// 30 contacts with distinct `updated_at` values, oldest first.
    private func setUp() throws -> (EngineHarness, [String]) {
        let harness = EngineHarness()
        var ids: [String] = []
        for index in 0..<30 {
            ids.append(
                try harness.workspace.createContact(
                    email: "c\(index)@example.com", createdAt: Self.base, updatedAt: Self.base + index
                ).id)
        }
        return (harness, ids)
    }

    private static let query = #"{"field":"created_at","operator":"=","value":\#(base)}"#

    @Test func recordUpdatedAfterItsPageAppearsAgainLater() throws {
        let (harness, ids) = try setUp()
        let sort = #"{"field":"updated_at","order":"ascending"}"#
        let first = harness.search("contacts", Self.query, sort: sort, perPage: 10)
        #expect(EngineHarness.ids(first.json) == Array(ids[0..<10]))
        // Page 1's third record changes now: it moves to the end of the updated_at order.
        try harness.workspace.touchContact(id: ids[2])
        var seen = EngineHarness.ids(first.json)
        var after = first.json["pages"]?["next"]?["starting_after"]?.stringValue
        while let cursor = after {
            let page = harness.search("contacts", Self.query, sort: sort, perPage: 10, after: cursor)
            seen += EngineHarness.ids(page.json)
            after = page.json["pages"]?["next"]?["starting_after"]?.stringValue
        }
        #expect(seen.count == 31)
        #expect(seen.filter { $0 == ids[2] }.count == 2)
        #expect(seen.last == ids[2])
    }

    @Test func recordUpdatedBeforeItsPageIsSkipped() throws {
        let (harness, ids) = try setUp()
        let sort = #"{"field":"updated_at","order":"descending"}"#
        let first = harness.search("contacts", Self.query, sort: sort, perPage: 10)
        #expect(EngineHarness.ids(first.json) == Array(ids[20..<30].reversed()))
        // A record due on page 3 becomes the newest: in descending order it jumps before the cursor.
        try harness.workspace.touchContact(id: ids[5])
        var seen = EngineHarness.ids(first.json)
        var after = first.json["pages"]?["next"]?["starting_after"]?.stringValue
        while let cursor = after {
            let page = harness.search("contacts", Self.query, sort: sort, perPage: 10, after: cursor)
            seen += EngineHarness.ids(page.json)
            after = page.json["pages"]?["next"]?["starting_after"]?.stringValue
        }
        #expect(seen.count == 29)
        #expect(!seen.contains(ids[5]))
    }

    @Test func tiesInSortValueAreBrokenById() throws {
        let harness = EngineHarness()
        var ids: [String] = []
        for index in 0..<12 {
            ids.append(
                try harness.workspace.createContact(
                    email: "t\(index)@example.com", createdAt: Self.base, updatedAt: Self.base + index % 3
                ).id)
        }
        let pages = harness.allPages(
            "contacts", Self.query, sort: #"{"field":"updated_at","order":"ascending"}"#, perPage: 5)
        let expected = ids.enumerated().sorted { lhs, rhs in
            lhs.offset % 3 != rhs.offset % 3 ? lhs.offset % 3 < rhs.offset % 3 : lhs.element < rhs.element
        }.map(\.element)
        #expect(pages.flatMap { $0 } == expected)
    }
}
