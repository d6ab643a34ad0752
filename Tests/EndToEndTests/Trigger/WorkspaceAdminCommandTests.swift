import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

extension TriggerEndToEnd {
    /// The admin commands on a store of several workspaces (#15), as an operator runs them: `status` summarises,
    /// `--workspace NAME` narrows each command to one workspace and leaves the others' rows alone, an unknown name
    /// and a `reset` of every workspace without `--all-workspaces` are refused (exit 64). The configuration names
    /// token files the commands cannot read, as from a root shell: they need none.
    @Suite struct WorkspaceAdminCommandTests {
        static let hook = WorkspaceStoreSeed.hook

        /// A seeded store and a configuration of `acme`, `globex` and `initech` (the store also holds `old`).
        struct Setup {
            let directory: TemporaryDirectory
            let store: String
            let config: String
            let events: [String: [StoredEvent]]

            init() async throws {
                directory = try TemporaryDirectory("workspace-admin")
                store = directory.path("state/state.sqlite")
                try FileManager.default.createDirectory(
                    atPath: directory.path("state"), withIntermediateDirectories: true)
                let seeded = try StateStore(path: store, role: .daemon)
                events = try await WorkspaceStoreSeed.seed(seeded, now: Int(Date().timeIntervalSince1970))
                try seeded.close()
                let text = """
                    [store]
                    path = "\(store)"

                    [[workspace]]
                    name = "acme"
                    access_token_file = "/nonexistent/tokens/acme"

                    [[workspace]]
                    name = "globex"
                    access_token_file = "/nonexistent/tokens/globex"

                    [[workspace]]
                    name = "initech"

                    [[destination]]
                    name = "\(WorkspaceAdminCommandTests.hook)"
                    stdout = true
                    """
                config = directory.path("daemon.conf")
                try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            }

            /// `intercom-triggerd <arguments> --config <config>`.
            func run(_ arguments: [String]) async throws -> DaemonCommand.Result {
                try await DaemonCommand.run(arguments + ["--config", config], in: directory)
            }

            /// Reads the store.
            func inspect<T>(_ body: (StateStore) async throws -> T) async throws -> T {
                let opened = try StateStore(path: store, role: .admin)
                defer { try? opened.close() }
                return try await body(opened)
            }
        }

        @Test(.timeLimit(.minutes(2)))
        func statusSummarisesAndShowsOneInFull() async throws {
            let setup = try await Setup()
            let summary = try await setup.run(["status"])
            #expect(summary.termination == .exited(0), "\(summary.standardError)")
            let lines = summary.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.first == "workspaces: 4 (1 failing, 1 not yet polled, 1 not configured)")
            #expect(lines.contains { $0.hasPrefix("  acme: app app_acme, ") && $0.hasSuffix("; 1 queued, 1 dead") })
            #expect(lines.contains { $0.contains("globex: app app_globex") && $0.contains("401 unauthorized") })
            #expect(lines.contains("  initech: not yet polled"))
            #expect(lines.contains { $0.hasPrefix("  old (not configured): app app_old") })
            #expect(lines.contains { $0.hasPrefix("  hook: 1 queued, 3 dead") })

            let json = try await setup.run(["status", "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
            #expect(
                (object?["workspaces"] as? [[String: Any]])?.map { $0["name"] as? String } == [
                    "acme", "globex", "initech", "old",
                ])

            let globex = try await setup.run(["status", "--workspace", "globex", "--json"])
            #expect(globex.termination == .exited(0), "\(globex.standardError)")
            let report = try snakeCaseDecoder().decode(StatusReport.self, from: Data(globex.standardOutput.utf8))
            #expect(report.name == "globex" && report.workspace == "app_globex")
            #expect(report.topics.map(\.lastError) == ["401 unauthorized"])
            #expect(report.destinations.map { [$0.pending, $0.dead] } == [[0, 2]])

            let unknown = try await setup.run(["status", "--workspace", "globx"])
            #expect(unknown.termination == .exited(64))
            #expect(unknown.standardOutput.isEmpty)
            #expect(
                unknown.standardError
                    == "intercom-triggerd: no workspace named \"globx\": did you mean \"globex\"? known workspaces: "
                    + "acme, globex, initech, old\n")
        }

        @Test(.timeLimit(.minutes(2)))
        func resetTakesOneWorkspaceOrAllWorkspaces() async throws {
            let setup = try await Setup()
            func pending() async throws -> [String: [Int?]] {
                try await setup.inspect { store throws in
                    var resets: [String: [Int?]] = [:]
                    for row in try await store.workspaces() {
                        resets[row.name] = try await store.topicStates(in: row.workspace).map(\.resetRequestedTo)
                    }
                    return resets
                }
            }
            let before = try await pending()

            let refused = try await setup.run(["reset", "--all", "--to", "beginning"])
            #expect(refused.termination == .exited(64))
            #expect(refused.standardError.contains("--workspace NAME"), "\(refused.standardError)")
            #expect(refused.standardError.contains("--all-workspaces"))
            #expect(try await pending() == before)

            let one = try await setup.run(["reset", "--all", "--to", "beginning", "--workspace", "globex"])
            #expect(one.termination == .exited(0), "\(one.standardError)")
            #expect(one.standardOutput.contains("in the workspace globex"))
            var expected = before
            expected["globex"] = [0]
            #expect(try await pending() == expected)

            let unpolled = try await setup.run(["reset", "--all", "--to", "beginning", "--workspace", "initech"])
            #expect(unpolled.termination == .exited(0))
            #expect(unpolled.standardOutput.hasPrefix("nothing to reset"))
            #expect(try await pending() == expected)

            let all = try await setup.run(["reset", "--all", "--to", "beginning", "--all-workspaces"])
            #expect(all.termination == .exited(0), "\(all.standardError)")
            #expect(all.standardOutput.contains("in 3 workspaces"), "\(all.standardOutput)")
            #expect(try await pending() == ["acme": [0, 0], "globex": [0], "old": [0], "default": []])
        }

        @Test(.timeLimit(.minutes(2)))
        func deadLettersReplayAndTailTakeOneWorkspace() async throws {
            let setup = try await Setup()
            let letters = try await setup.run(["dead-letters", "--workspace", "globex", "--json"])
            #expect(letters.termination == .exited(0), "\(letters.standardError)")
            let rows = try JSONSerialization.jsonObject(with: Data(letters.standardOutput.utf8)) as? [[String: Any]]
            #expect(rows?.map { $0["event_id"] as? String } == setup.events["globex"]!.map(\.id))
            let all = try await setup.run(["dead-letters", "--json"])
            #expect((try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as? [Any])?.count == 3)
            let none = try await setup.run(["dead-letters", "--workspace", "initech"])
            #expect(none.standardOutput == "no dead letters\n")

            let replay = try await setup.run([
                "replay", "--destination", Self.hook, "--all-failed", "--workspace", "globex",
            ])
            #expect(replay.termination == .exited(0), "\(replay.standardError)")
            #expect(replay.standardOutput == "queued 2 deliveries to \(Self.hook)\n")
            #expect(
                try await setup.inspect { try await $0.deadLetters(destination: nil).map(\.eventID) }
                    == [setup.events["acme"]![1].id])
            let unknown = try await setup.run([
                "replay", "--destination", Self.hook, "--all-failed", "--workspace", "x",
            ])
            #expect(unknown.termination == .exited(64))

            let tail = try await setup.run(["tail", "--workspace", "acme"])
            #expect(tail.termination == .exited(0), "\(tail.standardError)")
            let envelopes = try tail.standardOutput.split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(envelopes.map { $0?["app_id"] as? String } == ["app_acme", "app_acme"])
            let everything = try await setup.run(["tail"])
            #expect(everything.standardOutput.split(separator: "\n").count == 4)
        }
    }
}

/// Reads `status --json`.
private func snakeCaseDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
}
