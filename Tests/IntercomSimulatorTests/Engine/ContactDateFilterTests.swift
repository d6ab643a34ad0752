import Testing

@testable import IntercomSimulator

/// Contact search matches dates by calendar day in the workspace timezone (2.16), or by the exact second
/// when configured; conversation search always matches the exact second.
@Suite struct ContactDateFilterTests {
    /// Creates contacts with the given `created_at` values and returns their ids in the same order.
    private func contacts(_ harness: EngineHarness, at times: [Int]) throws -> [String] {
        try times.enumerated().map { index, time in
            try harness.workspace.createContact(email: "c\(index)@example.com", createdAt: time).id
        }
    }

    private func matching(_ harness: EngineHarness, _ op: String, _ value: Int, field: String = "created_at") -> Set<
        String
    >? {
        let answer = harness.search(
            "contacts", #"{"field":"\#(field)","operator":"\#(op)","value":"\#(value)"}"#, perPage: 150)
        guard answer.status == 200 else { return nil }
        return Set(EngineHarness.ids(answer.json))
    }

    // A contact one second before local midnight and one at local midnight, on 2026-01-15/16 in Los Angeles.
    static let lastSecond = EngineHarness.local(2026, 1, 15, 23, 59, 59)
    static let midnight = EngineHarness.local(2026, 1, 16, 0, 0, 0)

    /// (operator, query time, expected: which of [lastSecond, midnight] match).
    static let dayCases: [(String, Int, [Bool])] = [
        ("=", EngineHarness.local(2026, 1, 15, 9, 0, 0), [true, false]),
        (">", EngineHarness.local(2026, 1, 15, 9, 0, 0), [false, true]),
        ("<", EngineHarness.local(2026, 1, 15, 9, 0, 0), [false, false]),
        ("=", EngineHarness.local(2026, 1, 16, 18, 0, 0), [false, true]),
        ("<", EngineHarness.local(2026, 1, 16, 18, 0, 0), [true, false]),
        (">", EngineHarness.local(2026, 1, 16, 18, 0, 0), [false, false]),
        // 08:00 UTC on the 16th is still the 16th's midnight in LA: a UTC day would put it on the 15th's side.
        ("=", midnight, [false, true]),
        (">", lastSecond, [false, true]),
    ]

    @Test(arguments: dayCases)
    func dayGranularAcrossLocalMidnight(op: String, value: Int, expected: [Bool]) throws {
        let harness = EngineHarness()
        let ids = try contacts(harness, at: [Self.lastSecond, Self.midnight])
        let want = Set(zip(ids, expected).filter(\.1).map(\.0))
        #expect(matching(harness, op, value) == want)
    }

    /// The same contacts with exact-second matching: the instant passed is the boundary.
    static let exactCases: [(String, Int, [Bool])] = [
        ("=", lastSecond, [true, false]),
        (">", lastSecond, [false, true]),
        ("<", midnight, [true, false]),
        (">=", lastSecond, [true, true]),
        ("<=", lastSecond, [true, false]),
        ("!=", midnight, [true, false]),
        (">", EngineHarness.local(2026, 1, 15, 9, 0, 0), [true, true]),
    ]

    @Test(arguments: exactCases)
    func exactSecondWhenConfigured(op: String, value: Int, expected: [Bool]) throws {
        let harness = EngineHarness(exactSecond: true)
        let ids = try contacts(harness, at: [Self.lastSecond, Self.midnight])
        let want = Set(zip(ids, expected).filter(\.1).map(\.0))
        #expect(matching(harness, op, value) == want)
    }

    @Test func exactSecondCanBeSwitchedOnAtRunTime() throws {
        let harness = EngineHarness()
        let ids = try contacts(harness, at: [Self.lastSecond, Self.midnight])
        #expect(matching(harness, ">", Self.lastSecond) == [ids[1]])
        #expect(matching(harness, ">=", Self.lastSecond) == nil)
        let config = harness.control("POST", "/__sim/config", body: #"{"exact_second_contact_dates":true}"#)
        #expect(config.json["exact_second_contact_dates"]?.boolValue == true)
        #expect(matching(harness, ">=", Self.lastSecond) == Set(ids))
    }

    /// 2026-03-08 in Los Angeles has 23 hours and 2026-11-01 has 25: the day is the local calendar day.
    static let dstCases: [(String, [Int], [Int], [Bool])] = [
        (
            "spring forward", [2026, 3, 8],
            [
                EngineHarness.local(2026, 3, 8, 0, 0, 0), EngineHarness.local(2026, 3, 8, 23, 59, 59),
                EngineHarness.local(2026, 3, 9, 0, 0, 0), EngineHarness.local(2026, 3, 7, 23, 59, 59),
            ],
            [true, true, false, false]
        ),
        (
            "fall back", [2026, 11, 1],
            [
                EngineHarness.local(2026, 11, 1, 0, 0, 0), EngineHarness.local(2026, 11, 1, 23, 30, 0),
                EngineHarness.local(2026, 11, 2, 0, 0, 0), EngineHarness.local(2026, 10, 31, 23, 59, 59),
            ],
            [true, true, false, false]
        ),
    ]

    @Test(arguments: dstCases)
    func dayBoundariesAcrossDST(name: String, day: [Int], times: [Int], inDay: [Bool]) throws {
        let harness = EngineHarness()
        let ids = try contacts(harness, at: times)
        let noon = EngineHarness.local(day[0], day[1], day[2], 12, 0, 0)
        let inside = Set(zip(ids, inDay).filter(\.1).map(\.0))
        #expect(matching(harness, "=", noon) == inside, "\(name): = matches the whole local day")
        #expect(matching(harness, ">", noon) == [ids[2]], "\(name): > starts at the next local midnight")
        #expect(matching(harness, "<", noon) == [ids[3]], "\(name): < ends at this local midnight")
        // The day really is 23 or 25 hours long, so a fixed 86,400 s window would be wrong here.
        #expect(times[2] - times[0] != 86_400)
    }

    @Test func updatedAtAndOtherDateFieldsAreDayGranularToo() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(
            email: "late@example.com", createdAt: Self.lastSecond - 3_600, updatedAt: Self.lastSecond)
        #expect(matching(harness, ">", Self.lastSecond - 7_200, field: "updated_at") == [])
        #expect(matching(harness, "=", Self.lastSecond - 7_200, field: "updated_at") == [contact.id])
        #expect(matching(harness, "=", Self.lastSecond - 7_200, field: "signed_up_at") == [contact.id])
    }

    @Test func conversationsAlwaysMatchTheExactSecond() throws {
        let harness = EngineHarness()
        let contact = try harness.workspace.createContact(email: "talker@example.com", createdAt: Self.lastSecond - 60)
        let early = try harness.workspace.createConversation(
            contactID: contact.id, body: "a", createdAt: Self.lastSecond)
        let late = try harness.workspace.createConversation(contactID: contact.id, body: "b", createdAt: Self.midnight)
        func conversations(_ op: String, _ value: Int) -> Set<String> {
            Set(
                EngineHarness.ids(
                    harness.search("conversations", #"{"field":"created_at","operator":"\#(op)","value":\#(value)}"#)
                        .json))
        }
        #expect(conversations(">", Self.lastSecond) == [late.id])
        #expect(conversations(">=", Self.lastSecond) == [early.id, late.id])
        #expect(conversations("=", Self.lastSecond) == [early.id])
        #expect(conversations("<", Self.midnight) == [early.id])
        #expect(conversations("<=", Self.midnight) == [early.id, late.id])
        #expect(conversations(">", EngineHarness.local(2026, 1, 15, 9, 0, 0)) == [early.id, late.id])
    }

    @Test func resultsCarryFullTimestampsAndSortByThem() throws {
        let harness = EngineHarness()
        let times = [Self.lastSecond - 5, Self.lastSecond - 10, Self.lastSecond - 1]
        let ids = try contacts(harness, at: times)
        let answer = harness.search(
            "contacts", #"{"field":"created_at","operator":"=","value":\#(Self.lastSecond)}"#,
            sort: #"{"field":"created_at","order":"ascending"}"#)
        #expect(EngineHarness.ids(answer.json) == [ids[1], ids[0], ids[2]])
        let stamps = answer.json["data"]?.arrayValue?.compactMap { $0["created_at"]?.intValue }
        #expect(stamps == times.sorted())
    }
}
