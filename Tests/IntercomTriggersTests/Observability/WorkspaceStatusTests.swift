import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// `status` with several workspaces (#15): one summary line each, `--workspace NAME` in full, and the single
/// workspace's report as it always was.
@Suite struct WorkspaceStatusTests {
    static let now = 1_000_000
    static let users = WorkspaceStoreSeed.users
    static let leads = WorkspaceStoreSeed.leads
    /// `acme` and `globex` polled, `initech` configured but never polled; the store also holds `old`.
    static let configured = ["globex", "acme", "initech"]

    static func withSeeded(_ body: (StateStore) async throws -> Void) async throws {
        try await StoreFixture.withStore { store throws in
            try await WorkspaceStoreSeed.seed(store, now: now)
            try await body(store)
        }
    }

    @Test func theWorkspacesAreTheConfiguredOnesAndTheStoredOnes() async throws {
        try await Self.withSeeded { store throws in
            let workspaces = try await AdminWorkspaces.load(configured: Self.configured, store: store)
            #expect(workspaces.entries.map(\.name) == ["acme", "globex", "initech", "old"])
            #expect(workspaces.entries.map(\.configured) == [true, true, true, false])
            #expect(workspaces.entries.map(\.appID) == ["app_acme", "app_globex", nil, "app_old"])
            #expect(workspaces.entries[2].store == nil)
            #expect(workspaces.areSeveral)
            // Without a configuration file none is unconfigured; the empty `default` row stays hidden either way.
            let storeOnly = try await AdminWorkspaces.load(configured: nil, store: store)
            #expect(storeOnly.entries.map(\.name) == ["acme", "globex", "old"])
            #expect(storeOnly.entries.allSatisfy { $0.configured })
        }
    }

    @Test func oneConfiguredWorkspaceIsNotSeveral() async throws {
        try await StoreFixture.withStore { store throws in
            try await StatusAndTailTests.seeded(store)
            let single = try await AdminWorkspaces.load(configured: ["default"], store: store)
            #expect(single.entries == [.init(name: "default", store: .first, appID: "ws1", configured: true)])
            #expect(!single.areSeveral)
            #expect(try single.scope(named: nil) == .all)
            // A named workspace in a fresh store: one, not yet registered (the `default` row is empty).
            let fresh = try await StoreFixture.withStore { fresh throws in
                try await AdminWorkspaces.load(configured: ["acme"], store: fresh)
            }
            #expect(fresh.entries == [.init(name: "acme", store: nil, appID: nil, configured: true)])
            #expect(!fresh.areSeveral)
        }
    }

    @Test func anUnknownNameIsRefusedWithTheKnownOnes() async throws {
        try await Self.withSeeded { store throws in
            let workspaces = try await AdminWorkspaces.load(configured: Self.configured, store: store)
            #expect(throws: AdminWorkspaces.UnknownWorkspace(name: "acm", known: ["acme", "globex", "initech", "old"]))
            {
                try workspaces.scope(named: "acm")
            }
            #expect(
                AdminWorkspaces.UnknownWorkspace(name: "acm", known: ["acme", "globex"]).description
                    == "no workspace named \"acm\": did you mean \"acme\"? known workspaces: acme, globex")
            #expect(
                AdminWorkspaces.UnknownWorkspace(name: "x\u{1B}", known: []).description
                    == "no workspace named \"x\\u{1b}\": none is configured or in the store")
            let many = AdminWorkspaces.UnknownWorkspace(name: "zz", known: (1...30).map { "w\($0)" })
            #expect(many.description.hasSuffix("w20, … (30 in all)"))
            #expect(try workspaces.scope(named: "initech") == .unregistered)
            let acme = try #require(try await store.workspace(named: "acme"))
            #expect(try workspaces.scope(named: "acme") == .one(acme))
        }
    }

    @Test func theSummaryHasOneLinePerWorkspace() async throws {
        try await Self.withSeeded { store throws in
            let workspaces = try await AdminWorkspaces.load(configured: Self.configured, store: store)
            let summary = try await StatusSummary.collect(
                store: store, workspaces: workspaces, destinations: ["hook"], now: Self.now)
            #expect(summary.workspaces.map(\.maxLagSeconds) == [90, 600, nil, 90_000])
            #expect(summary.workspaces.map(\.failingTopics) == [0, 1, 0, 0])
            #expect(summary.workspaces.map(\.pending) == [1, 0, 0, 0])
            #expect(summary.workspaces.map(\.dead) == [1, 2, 0, 0])
            #expect(summary.workspaces.map(\.notYetPolled) == [false, false, true, false])
            #expect(
                summary.text() == """
                    workspaces: 4 (1 failing, 1 not yet polled, 1 not configured)

                      acme: app app_acme, 90s behind, last poll 10s ago: ok: 1 requests, 2 items, 2 events; 1 queued, 1 dead
                      globex: app app_globex, 10m behind, last poll 5s ago: error; 1 of 1 topics failing, last error: 401 unauthorized; 0 queued, 2 dead
                      initech: not yet polled
                      old (not configured): app app_old, 25h behind, last poll 24h ago: ok; 0 queued, 0 dead

                    destinations:
                      hook: 1 queued, 3 dead, oldest queued 20s ago
                    """)
            let json = try #require(try JSONSerialization.jsonObject(with: summary.json()) as? [String: Any])
            let rows = try #require(json["workspaces"] as? [[String: Any]])
            #expect(rows.map { $0["name"] as? String } == ["acme", "globex", "initech", "old"])
            #expect(rows[1]["app_id"] as? String == "app_globex")
            #expect(rows[1]["last_error"] as? String == "401 unauthorized")
            #expect(rows[1]["max_lag_seconds"] as? Int == 600)
            #expect(rows[2]["app_id"] == nil && rows[2]["topics"] as? Int == 0)
            #expect(rows[3]["configured"] as? Bool == false)
            #expect((json["destinations"] as? [[String: Any]])?.first?["dead"] as? Int == 3)
        }
    }

    /// A workspace a reload removed is no longer polled: its last error stays on its line, in the past tense, and
    /// the counts of failing and of not yet polled workspaces leave it out.
    @Test func aRemovedWorkspaceIsNotCountedAsFailingOrAsWaitingForItsPoll() async throws {
        try await Self.withSeeded { store throws in
            // `zed` was registered and its topics set up, then removed before its first poll.
            let zed = try await store.registerWorkspace(name: "zed")
            try await store.ensureTopics([Self.users: Self.now - 100], in: zed)
            let workspaces = try await AdminWorkspaces.load(configured: ["acme", "initech"], store: store)
            let summary = try await StatusSummary.collect(
                store: store, workspaces: workspaces, destinations: ["hook"], now: Self.now)
            let lines = summary.text().split(separator: "\n").map(String.init)
            #expect(lines.first == "workspaces: 5 (1 not yet polled, 3 not configured)")
            #expect(
                lines.contains(
                    "  globex (not configured): app app_globex, 10m behind, last poll 5s ago: error; 1 of 1 topics "
                        + "failed at their last poll, last error: 401 unauthorized; 0 queued, 2 dead"))
            #expect(lines.contains("  initech: not yet polled"))
            #expect(lines.contains("  zed (not configured): not yet polled"))
        }
    }

    @Test func aWorkspacesFullReportHasOnlyItsTopicsAndEvents() async throws {
        try await Self.withSeeded { store throws in
            let workspaces = try await AdminWorkspaces.load(configured: Self.configured, store: store)
            func report(_ name: String) async throws -> StatusReport {
                try await StatusReport.collect(
                    store: store, topics: [Self.users, Self.leads], destinations: ["hook"], now: Self.now,
                    workspace: workspaces.scope(named: name).workspace, named: name)
            }
            let acme = try await report("acme")
            #expect(acme.name == "acme" && acme.workspace == "app_acme")
            #expect(acme.topics.map(\.lagSeconds) == [30, 90])
            #expect(acme.destinations.map { [$0.pending, $0.dead] } == [[1, 1]])
            #expect(acme.text().hasPrefix("workspace: acme, app app_acme\n\ntopics:\n  contact.user.created: "))
            let globex = try await report("globex")
            #expect(globex.topics.map(\.topic) == [Self.users])
            #expect(globex.topics.first?.lastError == "401 unauthorized")
            #expect(globex.destinations.map { [$0.pending, $0.dead] } == [[0, 2]])
            let initech = try await report("initech")
            #expect(initech.topics.isEmpty && initech.workspace == nil)
            #expect(initech.destinations.map { [$0.pending, $0.dead] } == [[0, 0]])
            #expect(initech.text().hasPrefix("workspace: initech, not yet polled\n"))
            let decoded = try snakeCaseDecoder().decode(StatusReport.self, from: acme.json())
            #expect(decoded == acme)
            // Its hint retries its waiting deliveries only.
            let queued = try #require(try await store.events(afterSeq: 0, topic: nil, since: nil, limit: 1).first)
            try await store.markFailed(
                destination: WorkspaceStoreSeed.hook, seq: queued.seq, attempt: 1, status: 503, error: "busy",
                nextAttemptAt: Self.now + 600)
            #expect(
                try await report("acme").text().contains(
                    "(`intercom-triggerd replay --destination hook --waiting --workspace acme` retries now)"))
        }
    }

    /// The one workspace's report is what `status` printed before workspaces, word for word.
    @Test func theSingleWorkspacesReportIsUnchanged() async throws {
        try await StoreFixture.withStore { store throws in
            try await StatusAndTailTests.seeded(store)
            let report = try await StatusReport.collect(
                store: store, topics: [Self.leads, Self.users], destinations: ["out", "crm"], now: 1_400)
            #expect(
                report.text() == """
                    workspace: ws1

                    topics:
                      contact.lead.created: watermark 1970-01-01T00:20:01Z (3m behind), last poll 100s ago: ok: 1 requests
                      contact.user.created: watermark 1970-01-01T00:20:01Z (3m behind), last poll 100s ago: error
                        last error: 401 unauthorized

                    destinations:
                      out: 2 queued, 0 dead, oldest queued 100s ago
                      crm: 1 queued, 0 dead, oldest queued 100s ago
                    """)
            let json = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
            #expect(json.keys.sorted() == ["destinations", "generated_at", "topics", "workspace"])
        }
    }
}

/// Reads `status --json`.
private func snakeCaseDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
}
