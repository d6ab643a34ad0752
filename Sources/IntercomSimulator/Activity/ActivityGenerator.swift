import Logging
import ServiceLifecycle
import Synchronization

/// Makes a simulated workspace look alive: every `interval` someone signs up as a lead or a user, a
/// user changes, a lead becomes a user, or a contact starts a conversation. Runs the demo.
public final class ActivityGenerator: Service {
    /// One thing that happened.
    public enum Action: String, Sendable, CaseIterable {
        case newLead = "new lead"
        case newUser = "new user"
        case userUpdated = "user updated"
        case leadSignedUp = "lead signed up"
        case conversationStarted = "conversation started"
    }

    let workspace: SimulatedWorkspace
    let interval: Duration
    let logger: Logger
    private let state: Mutex<State>

    struct State {
        var random: SeededGenerator
        var serial = 0
        var leads: [String] = []
        var users: [String] = []
    }

    public init(workspace: SimulatedWorkspace, interval: Duration = .seconds(3), seed: UInt64 = 42, logger: Logger) {
        self.workspace = workspace
        self.interval = interval
        self.logger = logger
        state = Mutex(State(random: SeededGenerator(seed: seed)))
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let action = self.step()
                    self.logger.debug("simulated activity", metadata: ["action": "\(action.rawValue)"])
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {
            // Shutting down: the sleep was cut short.
        }
    }

    /// Does one thing, chosen at random among what the workspace allows (no update before a user exists).
    @discardableResult
    public func step() -> Action {
        state.withLock { state in
            var possible: [Action] = [.newLead, .newUser]
            if !state.users.isEmpty { possible += [.userUpdated, .userUpdated, .conversationStarted] }
            if !state.leads.isEmpty { possible += [.leadSignedUp, .conversationStarted] }
            let action = possible[Int.random(in: 0..<possible.count, using: &state.random)]
            state.serial += 1
            let name = SeedCatalog.firstNames[state.serial % SeedCatalog.firstNames.count]
            do {
                switch action {
                case .newLead:
                    state.leads.append(try workspace.createContact(role: "lead", name: name).id)
                case .newUser:
                    let email = "\(name.lowercased()).\(state.serial)@example.com"
                    state.users.append(try workspace.createContact(role: "user", email: email, name: name).id)
                case .userUpdated:
                    let id = state.users[Int.random(in: 0..<state.users.count, using: &state.random)]
                    try workspace.touchContact(
                        id: id, customAttributes: ["plan": ["free", "pro", "team"][state.serial % 3]])
                case .leadSignedUp:
                    let id = state.leads.remove(at: Int.random(in: 0..<state.leads.count, using: &state.random))
                    try workspace.touchContact(id: id, role: "user")
                    state.users.append(id)
                case .conversationStarted:
                    let everyone = state.users + state.leads
                    let id = everyone[Int.random(in: 0..<everyone.count, using: &state.random)]
                    try workspace.createConversation(contactID: id, body: "Hi, I have a question about my account.")
                }
            } catch {
                logger.warning("simulated activity failed: \(error)")
            }
            return action
        }
    }
}
