import Foundation
import Testing

@testable import IntercomTriggers

/// What a reload adds, removes and changes among the workspaces (#15), and how the plan logs it.
@Suite struct WorkspaceChangesTests {
    static let base = """
        [poll]
        interval = "120s"
        [store]
        path = "/tmp/a.sqlite"
        [triggers]
        topics = ["contact.lead.created"]

        [[workspace]]
        name = "acme"
        access_token = "tok_acme"

        [[workspace]]
        name = "globex"
        access_token = "tok_globex"
        interval = "30s"

        [[workspace]]
        name = "initech"
        access_token = "tok_initech"
        topics = ["contact.user.created"]
        """

    static func parse(_ text: String) throws -> DaemonConfiguration { try ReloadPlanTests.parse(text) }

    @Test func anUnchangedFileChangesNoWorkspace() throws {
        let running = try Self.parse(Self.base)
        let plan = ReloadPlan.between(running, try Self.parse(Self.base))
        #expect(plan.workspaces.isEmpty)
        #expect(plan.workspaces == WorkspaceChanges())
        #expect(plan.changes.isEmpty)
    }

    @Test func addedRemovedAndChangedWorkspacesAreTold() throws {
        let running = try Self.parse(Self.base)
        let edited =
            Self.base
            .replacingOccurrences(of: "name = \"initech\"", with: "name = \"hooli\"")
            .replacingOccurrences(of: "interval = \"30s\"", with: "interval = \"45s\"\nregion = \"eu\"")
            + "\n[[workspace]]\nname = \"zeta\"\naccess_token = \"tok_zeta\"\n"
        let plan = ReloadPlan.between(running, try Self.parse(edited))
        #expect(plan.workspaces.added == ["hooli", "zeta"])
        #expect(plan.workspaces.removed == ["initech"])
        #expect(plan.workspaces.changed == ["globex"])
        #expect(plan.workspaces.changedSettings == ["globex": ["region", "interval"]])
        #expect(plan.changes == ["workspaces: +hooli +zeta −initech", "changed workspaces: globex (region, interval)"])
        #expect(plan.configuration.workspaces.map(\.name) == ["acme", "globex", "hooli", "zeta"])
    }

    @Test func aChangedDefaultChangesTheWorkspacesThatTakeIt() throws {
        let running = try Self.parse(Self.base)
        // globex has its own interval; initech its own topics.
        let edited =
            Self.base
            .replacingOccurrences(of: "interval = \"120s\"", with: "interval = \"60s\"")
            .replacingOccurrences(
                of: "topics = [\"contact.lead.created\"]", with: "topics = [\"contact.lead.updated\"]")
            + "\n[intercom]\nproxy = \"\"\n"
        let changes = WorkspaceChanges.between(running, try Self.parse(edited))
        #expect(changes.added.isEmpty && changes.removed.isEmpty)
        #expect(changes.changed == ["acme", "globex", "initech"])
        #expect(changes.changedSettings["acme"] == ["ca_file or proxy", "topics", "interval"])
        #expect(changes.changedSettings["globex"] == ["ca_file or proxy", "topics"])
        #expect(changes.changedSettings["initech"] == ["ca_file or proxy", "interval"])
    }

    @Test func aWorkspaceMovedToAFileIsUnchanged() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("access_token = \"tok_initech\"\ntopics = [\"contact.user.created\"]\n".utf8)
            .write(to: URL(fileURLWithPath: "\(directory)/initech.toml"))
        let running = try Self.parse(Self.base)
        let moved =
            "workspaces_dir = \"\(directory)\"\n"
            + Self.base.replacingOccurrences(
                of:
                    "\n[[workspace]]\nname = \"initech\"\naccess_token = \"tok_initech\"\ntopics = [\"contact.user.created\"]",
                with: "")
        let loaded = try Self.parse(moved)
        #expect(loaded.workspace(named: "initech")?.file == "\(directory)/initech.toml")
        #expect(WorkspaceChanges.between(running, loaded).isEmpty)
    }

    @Test func theSingleFormLogsAsBeforeAndTellsTheDefaultWorkspaceChanged() throws {
        let single = "[intercom]\naccess_token = \"tok\"\n[triggers]\ntopics = [\"contact.lead.created\"]\n"
        let running = try Self.parse(single)
        let plan = ReloadPlan.between(
            running, try Self.parse(single.replacingOccurrences(of: "lead.created", with: "user.created")))
        #expect(
            plan.changes == ["topics: +contact.user.created −contact.lead.created", "changed destinations: stdout"])
        #expect(plan.workspaces == WorkspaceChanges(changed: ["default"], changedSettings: ["default": ["topics"]]))
    }

    @Test func theSingleFormBecomesAWorkspaceCalledDefaultWithoutAChange() throws {
        let single = "[intercom]\naccess_token = \"tok\"\nregion = \"eu\"\n[poll]\ninterval = \"1m\"\n"
        let tables =
            "[intercom]\nregion = \"eu\"\n[poll]\ninterval = \"1m\"\n[[workspace]]\nname = \"default\"\n"
            + "access_token = \"tok\"\n[[workspace]]\nname = \"acme\"\naccess_token = \"tok_acme\"\n"
        let plan = ReloadPlan.between(try Self.parse(single), try Self.parse(tables))
        #expect(plan.workspaces == WorkspaceChanges(added: ["acme"]))
        #expect(plan.changes == ["workspaces: +acme"])
    }
}
