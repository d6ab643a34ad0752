import Logging
import Testing

@testable import IntercomSimulator

@Suite struct ActivityGeneratorTests {
    @Test func producesEveryKindOfActivityAndOnlyValidOnes() {
        let workspace = SimulatedWorkspace()
        let generator = ActivityGenerator(workspace: workspace, seed: 7, logger: Logger(label: "test"))
        let actions = (0..<300).map { _ in generator.step() }
        #expect(Set(actions) == Set(ActivityGenerator.Action.allCases))
        // The first action can only create a contact: nothing else exists yet.
        #expect([.newLead, .newUser].contains(actions[0]))
        let created = actions.filter { $0 == .newLead || $0 == .newUser }.count
        #expect(workspace.counts.contacts == created)
        #expect(workspace.counts.conversations == actions.filter { $0 == .conversationStarted }.count)
    }

    @Test func theSameSeedGivesTheSameStory() {
        let first = ActivityGenerator(workspace: SimulatedWorkspace(), seed: 3, logger: Logger(label: "a"))
        let second = ActivityGenerator(workspace: SimulatedWorkspace(), seed: 3, logger: Logger(label: "b"))
        #expect((0..<50).map { _ in first.step() } == (0..<50).map { _ in second.step() })
    }

    /// What each kind of step may change on the one contact it touches, by top-level attribute.
    static func allowed(_ action: ActivityGenerator.Action) -> Set<String>? {
        switch action {
        case .planChanged: ["custom_attributes", "updated_at"]
        case .renamed: ["name", "updated_at"]
        case .emailSet: ["email", "email_domain", "updated_at"]
        case .seen: ContactRecord.activityAttributes.union(["updated_at"])
        default: nil
        }
    }

    /// Edits make good `changes` (a plan along free → pro → enterprise, a name, a lead's email); a sighting moves
    /// only activity attributes and `updated_at`, as Intercom does.
    @Test func editsChangeOneAttributeAndSightingsOnlyActivity() async throws {
        let harness = EngineHarness()
        let generator = ActivityGenerator(workspace: harness.workspace, seed: 11, logger: Logger(label: "test"))
        var seen: [ActivityGenerator.Action: Int] = [:]
        for _ in 0..<250 {
            // ~30 s of CPU in a debug build: give the cooperative pool back between steps, or this test and one
            // more like it hold both of CI's threads and every other test waits (timeouts).
            await Task.yield()
            let before = contacts(harness)
            harness.clock.advance(by: 5)
            let action = generator.step()
            let after = contacts(harness)
            guard let allowed = Self.allowed(action) else { continue }
            let touched = after.keys.filter { before[$0] != after[$0] }
            #expect(touched.count == 1, "\(action)")
            guard let id = touched.first, let old = before[id], let new = after[id] else { continue }
            let paths = EngineHarness.changedPaths(old, new)
            #expect(paths.contains("updated_at"), "\(action)")
            #expect(paths.allSatisfy { allowed.contains(String($0.prefix { $0 != "." })) }, "\(action): \(paths)")
            switch action {
            case .planChanged:
                #expect(paths == ["custom_attributes.plan", "updated_at"])
                let plans = ActivityGenerator.plans
                let previous = try #require(old["custom_attributes"]?["plan"]?.stringValue)
                let next = plans[(try #require(plans.firstIndex(of: previous)) + 1) % plans.count]
                #expect(new["custom_attributes"]?["plan"]?.stringValue == next)
            case .emailSet:
                #expect(old["email"]?.stringValue == "" && new["role"]?.stringValue == "lead")
            case .seen:
                #expect(new["last_seen_at"] == new["updated_at"])
            default:
                break
            }
            seen[action, default: 0] += 1
        }
        for action in [ActivityGenerator.Action.planChanged, .renamed, .emailSet, .seen] {
            #expect(seen[action, default: 0] >= 3, "\(action) happened \(seen[action, default: 0]) times")
        }
    }

    /// Every contact as rendered, by id.
    func contacts(_ harness: EngineHarness) -> [String: JSONValue] {
        let list = harness.call("GET", "/contacts", query: ["per_page": "150"]).json["data"]?.arrayValue ?? []
        return Dictionary(
            uniqueKeysWithValues: list.compactMap { contact in contact["id"]?.stringValue.map { ($0, contact) } })
    }
}
