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
}
